/**
 * `npx tsx test/bench/cpuprofile-summary.ts FILE.cpuprofile [--top 25] [--skip-ms N]`: where a
 * V8 CPU profile (node --cpu-prof, e.g. from `npm run bench -- --cpu-prof DIR`) spends its time,
 * as markdown: self time by function and by package, and by package again with Node's own
 * internals (fs writes, streams, timers…) charged to the package that called them. Percentages are
 * of busy time (idle excluded). `--skip-ms` drops the first N ms (start-up, connecting tenants);
 * `--requests N` adds µs per request; `--callers NAME` (repeatable) lists which frames (package or our code) lead to a function.
 * On a loaded machine samples are wall time while not idle (a descheduled thread still counts):
 * read shares, not absolute milliseconds.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, 'skip-ms': { type: 'string', default: '0' }, callers: { type: 'string', multiple: true }, requests: { type: 'string' } },
});
/** `--requests N`: how many requests the profiled process served, to print µs per request. */
const REQUESTS = values.requests ? Number(values.requests) : undefined;
const perRequest = (us: number) => (REQUESTS ? ` (${(us / REQUESTS).toFixed(0)} µs/req)` : '');
const TOP = Number(values.top);
const SKIP_US = Number(values['skip-ms']) * 1000;

/** `graphql`, `@envelop/core`, `our src/records`, `node:internal`, `(garbage collector)`… */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native/builtin)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const [a, b] = url.slice(nm + '/node_modules/'.length).split('/');
    return a!.startsWith('@') ? `${a}/${b}` : a!;
  }
  const ours = /\/(dist|src)\/([^/]+)(\/|$)/.exec(url);
  if (ours) return `our ${ours[1]}/${ours[2]!.replace(/\.(js|ts)$/, '')}`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

const internal = (pkg: string) => pkg === 'node:internal' || pkg === '(native/builtin)';

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const ours = /\/((dist|src)\/.*)$/.exec(url);
  return ours ? ours[1]! : url;
}

const pct = (x: number, total: number) => `${((100 * x) / total).toFixed(1)} %`;
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

for (const file of positionals) {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  // timeDeltas[i + 1] is how long the sample i stood (the way DevTools charges it).
  const self = new Map<number, number>();
  const stackPkgs = (id: number) => {
    const s = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      s.add(packageOf(f.url, f.functionName));
    }
    return s;
  };
  let elapsed = 0;
  for (let i = 0; i < p.samples.length; i++) {
    elapsed += p.timeDeltas[i] ?? 0;
    if (elapsed < SKIP_US) continue;
    const dt = p.timeDeltas[i + 1] ?? 0;
    self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + dt);
  }

  const fn = new Map<string, { t: number; pkg: string }>();
  const pkgSelf = new Map<string, number>();
  const pkgCharged = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  /** Time with the package anywhere on the stack (nested calls counted once). */
  const pkgInclusive = new Map<string, number>();
  const callers = new Map<string, Map<string, number>>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') {
      idle += t;
      continue;
    }
    busy += t;
    const pkg = packageOf(url, functionName);
    const key = `${functionName || '(anonymous)'} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ''}`.trim();
    fn.set(key, { t: (fn.get(key)?.t ?? 0) + t, pkg });
    pkgSelf.set(pkg, (pkgSelf.get(pkg) ?? 0) + t);
    // Charge Node's internals to the nearest caller that is a package or our code.
    let charged = pkg;
    for (let up = parent.get(id); internal(charged) && up !== undefined; up = parent.get(up)) {
      const f = byId.get(up)!.callFrame;
      const q = packageOf(f.url, f.functionName);
      if (!internal(q) && q !== '(root)') charged = q;
    }
    pkgCharged.set(charged, (pkgCharged.get(charged) ?? 0) + t);
    for (const q of stackPkgs(id)) pkgInclusive.set(q, (pkgInclusive.get(q) ?? 0) + t);
    for (const name of values.callers ?? []) {
      // The nearest frames above the named function that are not internal and not its own package.
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const f = byId.get(at)!.callFrame;
        if (f.functionName !== name) continue;
        const own = packageOf(f.url, f.functionName);
        const chain: string[] = [];
        for (let up = parent.get(at); up !== undefined && chain.length < 3; up = parent.get(up)) {
          const g = byId.get(up)!.callFrame;
          const q = packageOf(g.url, g.functionName);
          if (internal(q) || q === own || q === '(root)') continue;
          chain.push(`${g.functionName || '(anonymous)'} ${shortUrl(g.url)}:${g.lineNumber + 1}`);
        }
        const m = callers.get(name) ?? new Map<string, number>();
        const k = chain.join(' ← ') || '(none)';
        m.set(k, (m.get(k) ?? 0) + t);
        callers.set(name, m);
        break;
      }
    }
  }

  const out: string[] = [];
  out.push(`## ${file}\n`);
  out.push(`Busy ${(busy / 1e6).toFixed(1)} s${perRequest(busy)}, idle ${(idle / 1e6).toFixed(1)} s${SKIP_US ? ` (first ${SKIP_US / 1000} ms skipped)` : ''}. Percentages are of busy time.\n`);
  out.push(`### Top ${TOP} functions by self time\n`);
  out.push(line(['#', 'function (file:line)', 'package', 'self ms', '% busy']), line(['---', '---', '---', '---', '---']));
  [...fn]
    .sort((a, b) => b[1].t - a[1].t)
    .slice(0, TOP)
    .forEach(([k, v], i) => void out.push(line([i + 1, `\`${k}\``, v.pkg, `${(v.t / 1000).toFixed(0)}${perRequest(v.t)}`, pct(v.t, busy)])));
  out.push('\n### Self time by package\n');
  out.push(line(['package', 'self ms', '% busy', 'with Node internals charged to the caller', '% busy']), line(['---', '---', '---', '---', '---']));
  const pkgs = new Set([...pkgSelf.keys(), ...pkgCharged.keys()]);
  [...pkgs]
    .sort((a, b) => (pkgCharged.get(b) ?? 0) - (pkgCharged.get(a) ?? 0))
    .forEach(
      (k) =>
        void out.push(
          line([
            k,
            ((pkgSelf.get(k) ?? 0) / 1000).toFixed(0),
            pct(pkgSelf.get(k) ?? 0, busy),
            `${((pkgCharged.get(k) ?? 0) / 1000).toFixed(0)}${perRequest(pkgCharged.get(k) ?? 0)}`,
            pct(pkgCharged.get(k) ?? 0, busy),
          ]),
        ),
    );
  out.push('\n### Time with the package anywhere on the stack (inclusive; packages overlap)\n');
  out.push(line(['package', 'inclusive ms', '% busy']), line(['---', '---', '---']));
  [...pkgInclusive]
    .filter(([k]) => !internal(k) && k !== '(root)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .forEach(([k, t]) => void out.push(line([k, (t / 1000).toFixed(0), pct(t, busy)])));
  for (const [name, m] of callers) {
    out.push(`\n### Callers of \`${name}\` (nearest frames outside Node and its own package)\n`);
    out.push(line(['call path', 'ms', '% busy']), line(['---', '---', '---']));
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10)
      .forEach(([k, t]) => void out.push(line([`\`${k}\``, (t / 1000).toFixed(0), pct(t, busy)])));
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

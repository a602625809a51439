/**
 * `tsx test/bench/profile-summary.ts <file.cpuprofile | dir> [--top N] [--match TEXT]`: self time
 * of a V8 CPU profile (`node --cpu-prof`) aggregated by function and by package, as a percentage of
 * the non-idle time. Packages: the name under the last `node_modules/`, `gateway` for our src/ or
 * dist/ code, `node` for Node's own internals, and V8's pseudo-frames (`(garbage collector)`,
 * `(program)`) as they are. `--match` also lists the callers (one level up, by self time below
 * them) of the functions whose name or file contains TEXT; `--inclusive TEXT` the inclusive time of
 * those functions. A directory: its newest profile.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
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

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, match: { type: 'string' }, inclusive: { type: 'string' } } });
let file = positionals[0];
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile | dir>');
if (statSync(file).isDirectory()) {
  const dir = file;
  const newest = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!newest) throw new Error(`no .cpuprofile in ${dir}`);
  file = newest;
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : 'node';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node';
  if (/\/(src|dist)\//.test(url)) return 'gateway';
  return url;
}

const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);

let total = 0;
let idle = 0;
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
const callers = new Map<string, Map<string, number>>();
const label = (f: CallFrame) => {
  const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(node_modules|src|dist)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
for (const [id, us] of selfUs) {
  const node = byId.get(id)!;
  if (node.callFrame.functionName === '(idle)') {
    idle += us;
    continue;
  }
  total += us;
  const fn = label(node.callFrame);
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const pkg = packageOf(node.callFrame.url, node.callFrame.functionName);
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  if (values.match && fn.includes(values.match)) {
    const parent = parentOf.get(id);
    const p = parent === undefined ? '(root)' : label(byId.get(parent)!.callFrame);
    const m = callers.get(fn) ?? new Map<string, number>();
    m.set(p, (m.get(p) ?? 0) + us);
    callers.set(fn, m);
  }
}

const top = Number(values.top);
const pct = (us: number) => `${((100 * us) / total).toFixed(1)}%`;
const print = (title: string, m: Map<string, number>, n: number) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`${pct(us).padStart(6)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`${file}: ${(total / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle\n`);
print('Self time by package', byPackage, top);
print('Self time by function', byFunction, top);
for (const [fn, m] of callers) print(`Callers of ${fn}`, m, 10);

// Inclusive time (self plus everything called below) of the functions whose label contains
// `--inclusive TEXT` (e.g. `dist/` for the gateway's own code), each sample counted once per function.
if (values.inclusive) {
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    if (byId.get(id)!.callFrame.functionName === '(idle)') continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const fn = label(byId.get(at)!.callFrame);
      if (fn.includes(values.inclusive) && !seen.has(fn)) {
        seen.add(fn);
        inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
      }
    }
  }
  print(`Inclusive time of functions matching ${values.inclusive}`, inclusive, top);
}

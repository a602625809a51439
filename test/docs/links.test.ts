import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The documentation's promises about itself: README.md stays a front page (at most 300 lines),
 * every relative link in README.md and docs/*.md reaches a file that exists and, with `#anchor`,
 * a heading of that file (GitHub's slug), every repository path named in backticks exists, and
 * the layout table in docs/architecture.md names every folder of src/ and test/ once.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README_MAX_LINES = 300;

const docFiles = (): string[] => [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The lines outside fenced code blocks, with their 1-based line numbers. */
function prose(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  text.split('\n').forEach((t, i) => {
    const m = /^\s*(```|~~~)/.exec(t);
    if (m) {
      if (!fence) fence = m[1];
      else if (m[1] === fence) fence = undefined;
      return;
    }
    if (!fence) out.push({ line: i + 1, text: t });
  });
  return out;
}

/**
 * GitHub's heading anchors (github-slugger): the heading's rendered text, lower-cased, with every
 * character that is not a letter, digit, mark, connector, space or hyphen removed and each space
 * turned into a hyphen; a repeated slug gets `-1`, `-2`, … in document order.
 */
function slugs(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { text } of prose(markdown)) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!h) continue;
    const rendered = h[1]!
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images keep their text
      .replace(/<[^>]+>/g, '') // inline HTML
      .replace(/`/g, '')
      .replace(/(\*\*|__|\*)/g, '');
    const base = rendered
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

interface Link {
  file: string;
  line: number;
  target: string;
}

/** Inline links and images, `[text](target)` and `[text](target "title")`, outside code. */
function links(file: string): Link[] {
  const out: Link[] = [];
  for (const { line, text } of prose(read(file))) {
    const code = text.replace(/`[^`]*`/g, (s) => ' '.repeat(s.length));
    for (const m of code.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ file, line, target: m[1]! });
  }
  return out;
}

/** Why a link does not resolve, or undefined when it does. */
function broken(link: Link): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link.target)) return undefined; // https:, mailto: … (not checked offline)
  const [path, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const target = path === '' ? join(root, link.file) : resolve(dirname(join(root, link.file)), decodeURIComponent(path));
  if (!target.startsWith(root)) return 'points outside the repository';
  if (!existsSync(target)) return `${relative(root, target)} does not exist`;
  if (anchor === undefined) return undefined;
  if (!target.endsWith('.md') || statSync(target).isDirectory()) return `#${anchor} on a file that is not markdown`;
  return slugs(readFileSync(target, 'utf8')).has(anchor) ? undefined : `no heading of ${relative(root, target)} has the anchor #${anchor}`;
}

describe('documentation', () => {
  it(`README.md is a front page: at most ${README_MAX_LINES} lines`, () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it('every relative link and anchor in README.md and docs/*.md resolves', () => {
    const all = docFiles().flatMap(links);
    // The docs link to each other: a regex that found nothing would pass anything.
    expect(all.filter((l) => !/^[a-z]+:/i.test(l.target)).length).toBeGreaterThan(20);
    const failures = all.flatMap((l) => {
      const why = broken(l);
      return why ? [`${l.file}:${l.line} (${l.target}): ${why}`] : [];
    });
    expect(failures).toEqual([]);
  });

  it('every repository path named in backticks exists', () => {
    const failures: string[] = [];
    for (const file of docFiles()) {
      for (const { line, text } of prose(read(file))) {
        for (const m of text.matchAll(/`((?:src|test|docs|deploy|schema|\.ci)\/[^`\s*<>…]+)`/g)) {
          const path = m[1]!.replace(/[#:].*$/, '');
          if (!existsSync(join(root, path))) failures.push(`${file}:${line}: ${path}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('the layout table in docs/architecture.md names every folder of src/ and test/ once, and app.ts, main.ts, errors.ts', () => {
    const rows = prose(read('docs/architecture.md'))
      .filter(({ text }) => text.startsWith('| `'))
      .flatMap(({ text }) => [...text.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    const folders = (dir: string) =>
      readdirSync(join(root, dir), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${dir}/${d.name}/`);
    const expected = [...folders('src'), ...folders('test'), 'src/app.ts', 'src/main.ts', 'src/errors.ts'];
    const missing = expected.filter((p) => !rows.includes(p));
    const repeated = expected.filter((p) => rows.filter((r) => r === p).length > 1);
    expect({ missing, repeated }).toEqual({ missing: [], repeated: [] });
  });
});

describe('GitHub heading slugs', () => {
  it('follow github-slugger on the headings these docs use', () => {
    const s = slugs(
      '# Rotating the encryption key\n## `npm start` and production\n### Figures: npm run bench — 2026-12-06T15:34:34.375Z, Node v20.20.2\n## Notes\n## Notes\n```\n# not a heading\n```\n',
    );
    expect([...s]).toEqual(['rotating-the-encryption-key', 'npm-start-and-production', 'figures-npm-run-bench--2026-12-06t153434375z-node-v20202', 'notes', 'notes-1']);
  });
});

/**
 * The folders of src/ point one way (docs/architecture.md): no folder may reach, through its
 * imports, back to itself, and every import points down the layers below. Every import counts,
 * `import type` and `import()` included: a type import is still a dependency a reader has to follow.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { circles, describeCircle, folderGraph, importEdges, nodeOf, SRC, specifiers } from './import-graph.js';

/**
 * The layers of src/, bottom first: a node imports only from layers below its own. Two nodes of
 * one layer know nothing of each other. A new folder or top-level file must be placed here.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors.ts', 'log.ts', 'backoff.ts'],
  // Generic tools: the store (Keyv, sealing, leases, indexes) and the one way to Zoho.
  ['store', 'zoho'],
  ['config'],
  ['auth', 'tokens', 'ratelimit', 'emulator'],
  // Domain services: no GraphQL, no HTTP.
  ['records', 'connect', 'events', 'observability'],
  ['export', 'ops'],
  ['services.ts'],
  ['graphql'],
  // The typed CRM is built on the generic schema and its resolvers.
  ['typed'],
  ['http'],
  ['demo'],
  ['app.ts'],
  ['main.ts'],
];

describe('imports between the folders of src/', () => {
  it('form no circle', () => {
    const graph = folderGraph(importEdges());
    const found = circles(graph).map((c) => describeCircle(c, graph));
    expect(found, `circles between folders of src/:\n${found.join('\n\n')}`).toEqual([]);
  });

  it('point down the layers', () => {
    const rank = new Map(LAYERS.flatMap((layer, i) => layer.map((node) => [node, i] as const)));
    const graph = folderGraph(importEdges());
    const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((out) => [...out.keys()])]);
    expect(
      [...nodes].filter((n) => !rank.has(n)),
      'nodes missing from LAYERS',
    ).toEqual([]);
    const upward = [...graph].flatMap(([from, out]) =>
      [...out].filter(([to]) => rank.get(to)! >= rank.get(from)!).map(([to, edge]) => `${from} → ${to}   (${relative(SRC, edge.from)}:${edge.line} imports ${relative(SRC, edge.to)})`),
    );
    expect(upward, `imports that do not point down the layers:\n${upward.join('\n')}`).toEqual([]);
  });

  it('are all read: static, type-only, re-exported, dynamic and import() types', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b/b.js';",
      "export { c } from './c.js';",
      "export * from './d.js';",
      "const e = await import('./e.js');",
      "let f: import('./f.js').F;",
      "import g = require('./g.js');",
      "import './h.js';",
    ].join('\n');
    expect(specifiers('x.ts', text).map((s) => s.specifier)).toEqual(['./a.js', '../b/b.js', './c.js', './d.js', './e.js', './f.js', './g.js', './h.js']);
  });

  it('would catch a circle through a type-only import, and name the imports that make it', () => {
    const graph = folderGraph([
      { from: `${SRC}/events/watching.ts`, to: `${SRC}/http/routes/zoho-webhook.ts`, line: 6 },
      { from: `${SRC}/http/yoga.ts`, to: `${SRC}/graphql/context.ts`, line: 3 },
      { from: `${SRC}/graphql/context.ts`, to: `${SRC}/events/bus.ts`, line: 9 },
      { from: `${SRC}/app.ts`, to: `${SRC}/http/yoga.ts`, line: 1 },
    ]);
    const [circle, ...more] = circles(graph);
    expect(more).toEqual([]);
    expect(circle).toEqual(['events', 'http', 'graphql', 'events']);
    expect(describeCircle(circle!, graph)).toContain('events → http   (events/watching.ts:6 imports http/routes/zoho-webhook.ts)');
  });

  it('treat each top-level file of src/ as its own node', () => {
    expect(['app.ts', 'main.ts', 'errors.ts', 'log.ts', 'services.ts'].map((f) => nodeOf(`${SRC}/${f}`))).toEqual(['app.ts', 'main.ts', 'errors.ts', 'log.ts', 'services.ts']);
    expect(relative(SRC, `${SRC}/store/lock.ts`)).toBe('store/lock.ts');
    expect(nodeOf(`${SRC}/emulator/routes/watch.ts`)).toBe('emulator');
  });
});

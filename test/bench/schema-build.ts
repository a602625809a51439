/**
 * Part of `npm run bench`, run in its own process (`node --expose-gc`, spawned by bench.ts) so that
 * heap figures are this part's alone: how long a typed schema takes to build for synthetic orgs of
 * three sizes, what one keeps on the heap, and the ratio registry.ts uses to estimate that.
 *
 * It runs the compiled modules (`dist/`), as production does. Prints one markdown table.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { GraphQLSchema } from 'graphql';
import type { OrgShape } from '../../src/typed/shape.js';
import { syntheticOrg } from './synthetic-org.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' }, dist: { type: 'string', default: 'dist' } } });
const RUNS = Number(values.runs);
const root = new URL(`../../${values.dist}/`, import.meta.url);

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const { schema: base } = (await import(new URL('graphql/schema/index.js', root).href)) as typeof import('../../src/graphql/schema/index.js');
const { buildTypedSchema } = (await import(new URL('typed/build.js', root).href)) as typeof import('../../src/typed/build.js');
const { deriveShape } = (await import(new URL('typed/derive.js', root).href)) as typeof import('../../src/typed/derive.js');
const { assignNames } = (await import(new URL('typed/naming.js', root).href)) as typeof import('../../src/typed/naming.js');
const { createTypedResolvers } = (await import(new URL('typed/resolve.js', root).href)) as typeof import('../../src/typed/resolve.js');
const { BYTES_PER_SHAPE_BYTE } = (await import(new URL('typed/registry.js', root).href)) as typeof import('../../src/typed/registry.js');
// The graphql instance the compiled modules use (one module instance, as in production).
const { printSchema, validateSchema } = (await import('graphql')) as typeof import('graphql');

const reserved = { types: new Set(Object.keys(base.getTypeMap())), mutations: new Set(Object.keys(base.getMutationType()?.getFields() ?? {})) };

interface Timing {
  names: number;
  derive: number;
  build: number;
  validate: number;
  /** Process CPU time of the whole build (ms): less shaken than wall time when other work shares the cores. */
  cpu: number;
}

/** What registry.ts does per build: names, shape, schema; then the validation graphql-js would otherwise run on the first request. */
function buildOnce(meta: ReturnType<typeof syntheticOrg>): { schema: GraphQLSchema; shape: OrgShape; t: Timing } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const names = assignNames({ modules: meta.modules, reserved });
  const t1 = performance.now();
  const shape = deriveShape(meta, names);
  const t2 = performance.now();
  const schema = buildTypedSchema(base, shape, createTypedResolvers(shape, { staleShape() {} }));
  const t3 = performance.now();
  const errors = validateSchema(schema);
  const t4 = performance.now();
  const c = process.cpuUsage(c0);
  if (errors.length) throw new Error(`invalid typed schema: ${errors[0]!.message}`);
  return { schema, shape, t: { names: t1 - t0, derive: t2 - t1, build: t3 - t2, validate: t4 - t3, cpu: (c.user + c.system) / 1000 } };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mb = (n: number) => (n / 1024 / 1024).toFixed(1);

const SIZES = [
  { label: 'small', modules: 12, fields: 60, copies: 12 },
  { label: 'medium', modules: 30, fields: 120, copies: 6 },
  { label: 'large', modules: 60, fields: 250, copies: 3 },
] as const;

const rows: (string | number)[][] = [];
const ratios: number[] = [];
for (const size of SIZES) {
  const meta = syntheticOrg(size.modules, size.fields);
  const fieldCount = meta.modules.reduce((n, m) => n + m.fields.length, 0);
  // Warm-up: JIT and graphql-js' caches, then RUNS timed builds (nothing kept between them).
  for (let i = 0; i < 2; i++) buildOnce(meta);
  const times: Timing[] = [];
  let sdl = 0;
  let shapeBytes = 0;
  for (let i = 0; i < RUNS; i++) {
    gc();
    const { schema, shape, t } = buildOnce(meta);
    times.push(t);
    if (i === 0) {
      sdl = printSchema(schema).length;
      shapeBytes = JSON.stringify(shape).length;
    }
  }
  // Retained heap: `copies` schemas built from separate copies of the metadata (as separate
  // snapshots would be), each kept with its shape, as the registry's cache keeps them.
  const copies = Array.from({ length: size.copies }, () => JSON.parse(JSON.stringify(meta)) as typeof meta);
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: { schema: GraphQLSchema; shape: OrgShape }[] = [];
  for (const copy of copies) {
    const { schema, shape } = buildOnce(copy);
    kept.push({ schema, shape });
  }
  copies.length = 0;
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const perSchema = (after - before) / kept.length;
  ratios.push(perSchema / shapeBytes);
  // GET /graphql/schema.graphql prints a schema once and keeps the text with it (registry.printed).
  const printed = kept.map((k) => printSchema(k.schema));
  gc();
  gc();
  const sdlHeap = (process.memoryUsage().heapUsed - after) / printed.length;
  printed.length = 0;
  const total = times.map((t) => t.names + t.derive + t.build + t.validate);
  rows.push([
    `${size.label} (${size.modules} × ${size.fields})`,
    fieldCount,
    median(times.map((t) => t.names)).toFixed(1),
    median(times.map((t) => t.derive)).toFixed(1),
    median(times.map((t) => t.build)).toFixed(1),
    median(times.map((t) => t.validate)).toFixed(1),
    median(total).toFixed(1),
    Math.max(...total).toFixed(1),
    median(times.map((t) => t.cpu)).toFixed(1),
    mb(perSchema),
    `${mb(sdl)} (${mb(sdlHeap)} MB heap once printed)`,
    mb(shapeBytes),
    (perSchema / shapeBytes).toFixed(1),
  ]);
  kept.length = 0;
}

const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const head = [
  'org (modules × fields)',
  'fields',
  'names ms',
  'derive ms',
  'build ms',
  'validate ms',
  'total ms (median)',
  'total ms (max)',
  'CPU ms (median)',
  'heap MB / schema',
  'SDL MB',
  'shape JSON MB',
  'heap ÷ shape JSON',
];
process.stdout.write(
  `\n### Typed schema build (synthetic orgs; median of ${RUNS} builds after 2 warm-up; heap: schemas kept referenced, measured between forced GCs)\n\n${line(head)}\n${line(head.map(() => '---'))}\n${rows.map(line).join('\n')}\n` +
    `\nBYTES_PER_SHAPE_BYTE in registry.ts: ${BYTES_PER_SHAPE_BYTE}; measured heap ÷ shape JSON: ${ratios.map((r) => r.toFixed(1)).join(' / ')} (small / medium / large). Targets (issue 11): medium ≤ 250 ms, ≤ 10 MB a schema.\n`,
);

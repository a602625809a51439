/**
 * Reads every import of every module under src/ (static, dynamic, type-only, re-exports and
 * `import('…')` types) with the TypeScript parser, and folds them into a graph between folders:
 * each folder directly under src/ is one node, each top-level file (app.ts, main.ts, errors.ts,
 * log.ts, services.ts) is its own node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export const SRC = resolve(import.meta.dirname, '../../src');

/** One import edge between two files of src/, with where it is written. */
export interface ImportEdge {
  from: string;
  to: string;
  /** 1-based line of the import in `from`. */
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|tsx)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier in `text`, with its line. */
export function specifiers(fileName: string, text: string): Array<{ specifier: string; line: number }> {
  const file = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Array<{ specifier: string; line: number }> = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) found.push({ specifier: node.text, line: file.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** The file of src/ a relative specifier names (`./x.js` is written for `./x.ts`), or undefined for packages. */
function resolveLocal(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = resolve(dirname(from), specifier);
  for (const candidate of [target.replace(/\.js$/, '.ts'), target.replace(/\.mjs$/, '.mts'), target, `${target}.ts`, join(target, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(SRC, from)} imports ${specifier}, which resolves to no file`);
}

/** Every edge between two files of src/. */
export function importEdges(root = SRC): ImportEdge[] {
  return sourceFiles(root).flatMap((from) =>
    specifiers(from, readFileSync(from, 'utf8')).flatMap(({ specifier, line }) => {
      const to = resolveLocal(from, specifier);
      return to && to.startsWith(root + sep) ? [{ from, to, line }] : [];
    }),
  );
}

/** The node a file of src/ belongs to: its top folder, or the file itself when it sits in src/. */
export function nodeOf(file: string, root = SRC): string {
  const parts = relative(root, file).split(sep);
  return parts[0]!;
}

/** Edges between different nodes, keyed `from→to`, each with the first import that makes it. */
export function folderGraph(edges: ImportEdge[], root = SRC): Map<string, Map<string, ImportEdge>> {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const edge of edges) {
    const a = nodeOf(edge.from, root);
    const b = nodeOf(edge.to, root);
    if (a === b) continue;
    const out = graph.get(a) ?? new Map<string, ImportEdge>();
    if (!out.has(b)) out.set(b, edge);
    graph.set(a, out);
  }
  return graph;
}

/**
 * One circle through each strongly connected group of nodes (Tarjan), as the list of nodes in
 * order with the first node repeated at the end. Empty when the graph has no circle.
 */
export function circles(graph: Map<string, Map<string, ImportEdge>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const nodes = new Set<string>([...graph.keys(), ...[...graph.values()].flatMap((out) => [...out.keys()])]);
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const v of [...nodes].sort()) if (!index.has(v)) connect(v);
  return groups.map((group) => shortestCircle(graph, new Set(group)));
}

/** The shortest circle through the alphabetically first node of `group`, found breadth first inside the group. */
function shortestCircle(graph: Map<string, Map<string, ImportEdge>>, group: Set<string>): string[] {
  const start = [...group].sort()[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of [...(graph.get(v)?.keys() ?? [])].sort()) {
      if (!group.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (!cameFrom.has(w) && w !== start) {
        cameFrom.set(w, v);
        queue.push(w);
      }
    }
  }
  throw new Error(`no circle through ${start}`);
}

/** A circle with the import that makes each step, one step a line. */
export function describeCircle(circle: string[], graph: Map<string, Map<string, ImportEdge>>, root = SRC): string {
  const steps = circle.slice(0, -1).map((node, i) => {
    const edge = graph.get(node)!.get(circle[i + 1]!)!;
    return `  ${node} → ${circle[i + 1]}   (${relative(root, edge.from)}:${edge.line} imports ${relative(root, edge.to)})`;
  });
  return `${circle.join(' → ')}\n${steps.join('\n')}`;
}

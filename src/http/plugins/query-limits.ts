import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { Kind, validate, visit, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config/index.js';
import { GatewayError } from '../../errors.js';

/**
 * Shape limits on every operation, checked while parsing and validating — before the JWT is
 * looked at and before any resolver runs — with graphql-armor
 * (https://escape.tech/graphql-armor/docs/getting-started). Each refusal is a QUERY_TOO_COMPLEX
 * error (HTTP 400) whose `limit` names the limit and `maximum` its value:
 *
 * | limit         | config (env)                    | default | what it stops                              |
 * | ------------- | ------------------------------- | ------- | ------------------------------------------ |
 * | maxDepth      | maxDepth (MAX_QUERY_DEPTH)      | 12      | lookups of lookups of lookups …            |
 * | maxAliases    | maxAliases (MAX_ALIASES)        | 30      | one field asked many times under aliases   |
 * | maxDirectives | maxDirectives (MAX_DIRECTIVES)  | 50      | `@include` repeated to burn CPU            |
 * | maxTokens     | maxTokens (MAX_TOKENS)          | 5000    | huge documents (the parser stops early)    |
 * | maxCost       | maxCost (MAX_QUERY_COST)        | 5000    | wide and deep selections                   |
 * | documentNesting | MAX_DOCUMENT_NESTING (code)   | 128     | `[[[…]]]` literals overflowing the parser  |
 * | variablesDepth  | MAX_VARIABLES_DEPTH (code)    | 64      | recursive filters overflowing coercion     |
 *
 * Depth counts a fragment spread as a level (armor's default) and skips `__schema`.
 *
 * Cost is armor's (object 2, scalar 1, ×1.5 per level) without its page-size factor: armor
 * multiplies a field's cost by a literal `first`/`last`, which would price the ordinary
 * `records(first: 200)` page at ~8,000 while the same query with `first: $n` costs ~40. Here cost
 * measures the shape; how many records an operation reads is what ZOHO_CALL_BUDGET prices
 * (./zoho-budget.ts), and Zoho caps a page at 200 anyway.
 *
 * Field suggestions are handled by ./introspection.ts, not here.
 */
export function useQueryLimits(security: Pick<Config['security'], 'maxDepth' | 'maxAliases' | 'maxDirectives' | 'maxTokens' | 'maxCost'>): Plugin[] {
  return [
    EnvelopArmorPlugin({
      maxDepth: { n: security.maxDepth, onReject: refuse('maxDepth', security.maxDepth) },
      maxAliases: { n: security.maxAliases, onReject: refuse('maxAliases', security.maxAliases) },
      maxDirectives: { n: security.maxDirectives, onReject: refuse('maxDirectives', security.maxDirectives) },
      maxTokens: { n: security.maxTokens, onReject: refuse('maxTokens', security.maxTokens) },
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: false },
    }) as Plugin,
    useShapeCost(security.maxCost),
    useNestingLimits(),
    useLimitStatus(),
  ];
}

/**
 * How deep the variables' JSON may nest. The typed filters are recursive input types (and/or), and
 * the executor coerces variables recursively: a `where` nested 20,000 deep (200 KB) overflowed its
 * stack, a 500, before filter.ts's own limit (10 levels of and/or, about 25 here) was reached.
 */
export const MAX_VARIABLES_DEPTH = 64;

/** Depth of a JSON value, walked without recursion (the point is not to overflow the stack). */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

/**
 * How deep brackets may nest in the document text. graphql-js parses list and object literals
 * recursively, and MAX_TOKENS still lets `[[[…]]]` nest 2,400 deep, which overflowed the parser's
 * stack (a 500, before the JWT is looked at). Selections (MAX_QUERY_DEPTH 12) and a typed filter's
 * 10 levels of and/or stay far below.
 */
export const MAX_DOCUMENT_NESTING = 128;

/** Whether `{`, `[` or `(` nest deeper than `max` outside strings and comments: one pass, no parse. */
function nestingExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (c === '"') {
      if (text.startsWith('"""', i)) {
        // Block strings escape only \"""; an escaped one does not end the string.
        let e = text.indexOf('"""', i + 3);
        while (e > 0 && text[e - 1] === '\\') e = text.indexOf('"""', e + 3);
        if (e < 0) return false;
        i = e + 2;
      } else {
        for (i++; i < text.length && text[i] !== '"' && text[i] !== '\n'; i++) if (text[i] === '\\') i++;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > max) return true;
    } else if (c === '}' || c === ']' || c === ')') depth--;
  }
  return false;
}

function useNestingLimits(): Plugin {
  return {
    onParams({ params }) {
      if (typeof params.query === 'string' && nestingExceeds(params.query, MAX_DOCUMENT_NESTING)) {
        throw new GatewayError('QUERY_TOO_COMPLEX', `the document nests brackets more than ${MAX_DOCUMENT_NESTING} levels deep`, { limit: 'documentNesting', maximum: MAX_DOCUMENT_NESTING });
      }
      if (params.variables && depthExceeds(params.variables, MAX_VARIABLES_DEPTH)) {
        throw new GatewayError('QUERY_TOO_COMPLEX', `variables nest more than ${MAX_VARIABLES_DEPTH} levels deep`, { limit: 'variablesDepth', maximum: MAX_VARIABLES_DEPTH });
      }
    },
  };
}

/** armor throws a plain GraphQLError ("Syntax Error: …", no code): throw ours instead. */
function refuse(limit: string, maximum: number) {
  return [
    (_ctx: unknown, err: GraphQLError) => {
      throw new GatewayError('QUERY_TOO_COMPLEX', err.message.replace(/^Syntax Error: /, ''), { limit, maximum });
    },
  ];
}

/** The document without `first`/`last` arguments, which armor's cost rule reads as multipliers. */
function withoutPageSizes(document: DocumentNode): DocumentNode {
  return visit(document, {
    [Kind.ARGUMENT]: (node) => (node.name.value === 'first' || node.name.value === 'last' ? null : undefined),
  });
}

/** How many times the shape cost walked a document: tests hold the cache to it. */
export const shapeCostWalks = { count: 0 };

/**
 * Yoga caches validation per (schema, document) and its parser hands out one document object per
 * query text, but this hook runs on every request: the cost walk is cached the same way, so
 * repeating a query costs a lookup. A refusal is remembered as its message and thrown anew (the
 * error object travels with one response).
 */
function useShapeCost(maxCost: number): Plugin {
  const rule = costLimitRule({ maxCost, onReject: refuse('maxCost', maxCost) });
  const checked = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, string | null>>();
  return {
    onValidate({ params }) {
      let bySchema = checked.get(params.schema);
      if (!bySchema) checked.set(params.schema, (bySchema = new WeakMap()));
      const known = bySchema.get(params.documentAST);
      if (known === null) return;
      if (known !== undefined) throw new GatewayError('QUERY_TOO_COMPLEX', known, { limit: 'maxCost', maximum: maxCost });
      shapeCostWalks.count++;
      try {
        // Only the cost rule runs over the copy; the real validation runs over the real document.
        validate(params.schema, withoutPageSizes(params.documentAST), [rule]);
      } catch (err) {
        if (err instanceof GatewayError && err.code === 'QUERY_TOO_COMPLEX') bySchema.set(params.documentAST, err.message);
        throw err;
      }
      bySchema.set(params.documentAST, null);
    },
  };
}

/**
 * Yoga marks errors thrown while parsing (the token limit) as GraphQL-over-HTTP "spec" errors,
 * which it answers with 200 to `application/json` clients; every limit answers 400 instead.
 */
function useLimitStatus(): Plugin {
  return {
    onResultProcess({ result }) {
      if (typeof result !== 'object' || result === null || Array.isArray(result) || Symbol.asyncIterator in result) return;
      for (const e of (result as { errors?: readonly GraphQLError[] }).errors ?? []) {
        const http = e.extensions?.code === 'QUERY_TOO_COMPLEX' ? (e.extensions.http as { spec?: boolean } | undefined) : undefined;
        if (http?.spec) http.spec = false;
      }
    },
  };
}

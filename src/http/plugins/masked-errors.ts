import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { requestIdOf } from './request-id.js';

/**
 * Error masking. A caller sees GatewayErrors (stable codes, messages written for callers) and
 * GraphQL's own errors (syntax, validation) as they are. Anything else — a TypeError, a driver
 * error, a message that might quote a token or a URL with credentials — reaches the caller as
 * `Unexpected error.` with `extensions: { code: 'INTERNAL', requestId }` and no stack, never in
 * "development" form (Yoga's isDev would add the original message and stack); the original goes
 * to the log under the same request id.
 *
 * Yoga's `maskedErrors.maskError` sees the error but not the request, so masking happens in two
 * steps: `maskError` swaps the error and remembers the original; `useMaskedErrorIds` (which sees
 * the request when the response is built) adds the request id and logs the original.
 */

export const MASKED_MESSAGE = 'Unexpected error.';

const originals = new WeakMap<GraphQLError, unknown>();

function passesThrough(error: unknown): error is GraphQLError {
  if (error instanceof GatewayError) return true;
  if (!(error instanceof GraphQLError)) return false;
  // A resolver's throw arrives wrapped (with path and locations): judge what was thrown.
  const inner = error.originalError;
  return inner === undefined || inner === null || inner instanceof GatewayError || (inner instanceof GraphQLError && passesThrough(inner));
}

/** For Yoga's `maskedErrors: { maskError }`. */
export function maskError(error: unknown): Error {
  if (passesThrough(error)) return error;
  const located = error instanceof GraphQLError ? error : undefined;
  const masked = new GraphQLError(MASKED_MESSAGE, {
    ...(located?.nodes ? { nodes: located.nodes } : {}),
    ...(located?.path ? { path: located.path } : {}),
    // `unexpected` makes Yoga answer 500 when nothing else was answered; it never reaches the body.
    extensions: { code: 'INTERNAL', unexpected: true },
  });
  originals.set(masked, located?.originalError ?? error);
  return masked;
}

/** Adds `extensions.requestId` to every INTERNAL error of a response and logs masked originals. */
export function useMaskedErrorIds(log: Logger): Plugin {
  return {
    onResultProcess({ request, result, setResult }) {
      if (typeof result !== 'object' || result === null) return;
      const requestId = requestIdOf(request);
      const stamp = <R extends { errors?: readonly GraphQLError[] }>(r: R): R => {
        if (!r.errors?.some((e) => e.extensions?.code === 'INTERNAL')) return r;
        const errors = r.errors.map((e) => {
          if (e.extensions?.code !== 'INTERNAL') return e;
          if (originals.has(e)) log.error({ requestId, err: originals.get(e), path: e.path }, 'unexpected error (masked for the caller)');
          return new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, originalError: undefined, extensions: { ...e.extensions, requestId } });
        });
        return { ...r, errors };
      };
      // A subscription's events are masked one by one as they stream: stamp and log each the same way.
      if (Symbol.asyncIterator in result) setResult(mapResults(result as AsyncIterable<{ errors?: readonly GraphQLError[] }>, stamp));
      else setResult(Array.isArray(result) ? result.map(stamp) : stamp(result as { errors?: readonly GraphQLError[] }));
    },
  };
}

/**
 * `source` with `fn` applied to each value. A plain iterator rather than an async generator, so
 * a client going away (`return()`) reaches the source at once, even while it waits for an event.
 */
function mapResults<T>(source: AsyncIterable<T>, fn: (value: T) => T): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  return {
    async next() {
      const r = await iterator.next();
      return r.done ? r : { done: false, value: fn(r.value) };
    },
    async return(value?: unknown) {
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      if (iterator.throw) return iterator.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

import { Repeater } from 'graphql-yoga';

/**
 * Relays `source` until it ends or the consumer returns (an SSE client going away), and runs the
 * cleanup `setup` returned exactly once either way. `setup` gets `stop` to end the stream from
 * outside (a token expiring, a shutdown).
 *
 * Everything a stream registers (a timer, a stop function in a registry, a lease) is released
 * with it: a closed subscription must leave nothing reachable behind, or a gateway that serves
 * reconnecting clients for weeks grows without bound.
 */
export function relay<T>(source: AsyncIterable<T>, setup: (stop: () => void) => (() => void) | void = () => undefined): Repeater<T> {
  return new Repeater<T>(async (push, stop) => {
    const iterator = source[Symbol.asyncIterator]();
    // Returning the source settles its pending next() (the sources are Repeaters), ending the loop.
    void stop.then(() => iterator.return?.());
    const cleanup = setup(() => stop());
    try {
      let next: IteratorResult<T>;
      while (!(next = await iterator.next()).done) await push(next.value);
    } finally {
      stop();
      cleanup?.();
    }
  });
}

/**
 * `source` with `onEnd` run exactly once when it ends: done, failed, or returned by the consumer,
 * even before its first `next()` (a client gone between subscribing and the first pull), which a
 * Repeater's executor would never see. For what was taken before the stream started (a slot).
 */
export function onEnd<T>(source: AsyncIterable<T>, onEnd: () => void): AsyncIterableIterator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return {
    async next() {
      try {
        const result = await iterator.next();
        if (result.done) end();
        return result;
      } catch (err) {
        end();
        throw err;
      }
    },
    async return(value?: unknown) {
      end();
      return (await iterator.return?.(value)) ?? { done: true, value: undefined };
    },
    async throw(err?: unknown) {
      end();
      if (iterator.throw) return iterator.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

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

import type { ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';

/**
 * A subscription's events are a stream that only its result processor ends (when the client
 * leaves mid-stream). Two streams were never read, so never ended, and kept their subscription
 * slot (MAX_SUBSCRIPTIONS_PER_USER) until the instance restarted: one whose `Accept` no stream
 * processor serves (Yoga answers 406), and one whose client left before the answer was written.
 * This ends both. It must be the last plugin: it reads the processor Yoga chose.
 */
export function useEndUnreadStreams(): Plugin {
  return {
    onResultProcess({ result, resultProcessor, serverContext }) {
      if (typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result)) return;
      const stream = result as AsyncIterable<unknown>;
      const end = () => void stream[Symbol.asyncIterator]().return?.();
      if (!resultProcessor) return end();
      // Over node:http (both lanes) the server context holds the response; `yoga.fetch` has none.
      const res = (serverContext as { res?: ServerResponse } | undefined)?.res;
      if (!res) return;
      if (res.destroyed) return end();
      res.once('close', () => {
        if (!res.writableFinished) end();
      });
    },
  };
}

/**
 * Counts failed store operations without touching the backends: a wrapper around the Store the
 * app hands to everyone, so a Redis outage shows up on /metrics as a rising error count rather
 * than only as scattered request failures. Raw Redis commands (locks, rate limits) bypass it;
 * their callers count what they see.
 */
import type { Store } from '../store/index.js';

/** The Store verbs that talk to the backend and can reject. */
const OPERATIONS = ['get', 'set', 'delete', 'has', 'setIfAbsent'] as const;

/** `store`, with every rejection of OPERATIONS reported to `onError` (and still rejected). */
export function countStoreErrors(store: Store, onError: (operation: string) => void): Store {
  const counted = { ...store } as Record<string, unknown>;
  for (const op of OPERATIONS) {
    const inner = store[op] as (...args: unknown[]) => Promise<unknown>;
    counted[op] = async (...args: unknown[]) => {
      try {
        return await inner.apply(store, args);
      } catch (err) {
        onError(op);
        throw err;
      }
    };
  }
  return counted as unknown as Store;
}

/**
 * Remembers the notifications already taken, for REPLAY_WINDOW_MS, in the shared store: a
 * notification delivered twice (a replay, or Zoho sending again) is dispatched once, whichever
 * instance receives each copy. Notifications older than notification.ts's MAX_NOTIFICATION_AGE_MS
 * are refused outright, so the window only has to outlast that.
 */
import type { Store } from '../store/index.js';

/** How long an event id is remembered (ms): 24 hours. */
export const REPLAY_WINDOW_MS = 24 * 3600_000;

export class ReplayGuard {
  constructor(private readonly store: Store) {}

  /** True the first time `eventId` is seen within the window (and records it); false for a replay. */
  firstSeen(eventId: string): Promise<boolean> {
    return this.store.setIfAbsent(`events:seen:${eventId}`, 1, REPLAY_WINDOW_MS);
  }
}

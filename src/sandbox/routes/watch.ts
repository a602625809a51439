import type { EmulatorContext } from '../emulator.js';
import type { Router } from '../router.js';

/** Receives record changes from write handlers; the watch routes POST notifications from it. */
export interface Notifier {
  notify(module: string, operation: 'insert' | 'update' | 'delete', ids: string[], affectedFields?: string[]): void;
}

export function registerWatchRoutes(_router: Router, _ctx: EmulatorContext): void {}

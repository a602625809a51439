import type { EmulatorContext } from '../emulator.js';
import type { Router } from '../router.js';

export function registerOrgRoutes(_router: Router, _ctx: EmulatorContext): void {}

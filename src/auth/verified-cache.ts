import type { Caller } from './caller.js';

/**
 * Recently verified tokens. A frontend sends the same JWT with every request, and verifying an
 * HMAC or RSA signature goes through WebCrypto's thread pool (about 0.1 ms of work and a thread
 * hop each time); a token that verified once stays valid until its `exp`, so its caller can be
 * reused until then. Keyed by the whole token (signature included), so a changed token is a miss.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { caller: Caller; validUntil: number }>();

  /**
   * @param maxEntries how many tokens to remember (least recently used go first)
   * @param maxAgeMs how long (ms) to trust a verification at most, even if `exp` is later
   */
  constructor(
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
    private readonly maxAgeMs = 5 * 60_000,
  ) {}

  get(token: string): Caller | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    this.entries.delete(token);
    if (hit.validUntil <= this.now()) return undefined;
    this.entries.set(token, hit); // most recently used last
    return hit.caller;
  }

  /** `expSec`/`nbfSec`: the token's claims (seconds); tokens not yet valid are never cached. */
  set(token: string, caller: Caller, expSec: number, nbfSec: number | undefined): void {
    const now = this.now();
    if (nbfSec !== undefined && nbfSec * 1000 > now) return;
    const validUntil = Math.min(expSec * 1000, now + this.maxAgeMs);
    if (validUntil <= now) return;
    this.entries.set(token, { caller, validUntil });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/**
 * How a receiver knows a forwarded event came from this gateway and was not altered or replayed.
 *
 * Each POST carries
 *   x-zgw-timestamp: <epoch seconds when this attempt was signed>
 *   x-zgw-signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   x-zgw-event-id:  <the event's id, the same on every retry: de-duplicate on it>
 * where `secret` is the string setEventWebhook returned (its UTF-8 bytes are the HMAC key).
 *
 * A receiver recomputes the HMAC over the raw body bytes it received (before any JSON parsing),
 * compares in constant time, and refuses timestamps far from its clock (5 minutes by default), so
 * a captured request cannot be replayed later. `verifySignature` does all three.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-zgw-signature';
export const TIMESTAMP_HEADER = 'x-zgw-timestamp';
export const EVENT_ID_HEADER = 'x-zgw-event-id';

/** Default largest difference between a signature's timestamp and the receiver's clock, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** The `x-zgw-signature` value for `body` signed at `timestamp` (epoch seconds). */
export function signPayload(secret: string, timestamp: number | string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyOptions {
  /** Largest accepted |now − timestamp| in seconds (default 300); Infinity turns the check off. */
  toleranceSeconds?: number;
  /** Clock, epoch ms (default Date.now). */
  now?: () => number;
}

/**
 * True when `header` (the `x-zgw-signature` value) is the signature of `body` at `timestamp`
 * (the `x-zgw-timestamp` value, epoch seconds) under `secret`, and the timestamp is recent.
 */
export function verifySignature(secret: string, timestamp: number | string, body: string | Uint8Array, header: string | null | undefined, options: VerifyOptions = {}): boolean {
  if (!header || !/^\d{1,12}$/.test(String(timestamp))) return false;
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = (options.now ?? Date.now)() / 1000;
  if (Math.abs(nowSeconds - Number(timestamp)) > tolerance) return false;
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const expected = Buffer.from(signPayload(secret, timestamp, text));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Lua scripts run by their SHA1 (EVALSHA), loaded with EVAL only when Redis does not know them
 * yet (first use, or a Redis that restarted): the hot-path scripts (Zoho slots, rate counts) then
 * cost Redis a hash lookup instead of a parse, and the wire a 40-byte id instead of the text.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './store.js';

export interface RedisScript {
  readonly text: string;
  readonly sha: string;
}

export function redisScript(text: string): RedisScript {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

export async function runScript(client: RedisClient, script: RedisScript, args: { keys: string[]; arguments: string[] }): Promise<unknown> {
  try {
    return await client.evalSha(script.sha, args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return client.eval(script.text, args);
  }
}

import { createHash } from 'node:crypto';
import { GatewayError } from '../errors.js';

/**
 * The `after` cursor of a filtered or ordered typed list, which pages a COQL query by OFFSET. It
 * carries a hash of the filter and order it was made for, so a cursor is never read against a
 * different query (the rows at an offset would belong to another result).
 */
interface CoqlCursor {
  v: 1;
  k: 'coql';
  m: string;
  q: string;
  off: number;
}

/** A short, stable hash of a where/orderBy pair (key order inside objects does not matter). */
export function queryKey(where: unknown, orderBy: unknown): string {
  return createHash('sha256')
    .update(stableJson([where ?? null, orderBy ?? null]))
    .digest('base64url')
    .slice(0, 16);
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

export function encodeCoqlCursor(module: string, key: string, offset: number): string {
  const c: CoqlCursor = { v: 1, k: 'coql', m: module, q: key, off: offset };
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

/** The offset a cursor stands for; BAD_USER_INPUT when it was made for another module, filter or order. */
export function decodeCoqlCursor(text: string, module: string, key: string): number {
  let c: Partial<CoqlCursor> | null = null;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<CoqlCursor>;
  } catch {
    c = null;
  }
  if (!c || c.v !== 1 || c.k !== 'coql' || typeof c.off !== 'number' || !Number.isSafeInteger(c.off) || c.off < 0) {
    throw new GatewayError('BAD_USER_INPUT', 'after is not a cursor of a filtered or ordered list (a cursor from a list without where/orderBy pages only that list)', { argument: 'after' });
  }
  if (c.m !== module || c.q !== key) throw new GatewayError('BAD_USER_INPUT', 'after was made for another module, where or orderBy: keep them the same while paging', { argument: 'after' });
  return c.off;
}

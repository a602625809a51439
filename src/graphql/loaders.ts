import DataLoader from 'dataloader';
import { RecordLoaders } from '../records/loader.js';
import type { ZohoFetch } from '../zoho/client.js';

/** A CRM user as `GET /crm/v8/users` returns it (the fields we expose). */
export interface ZohoUserRecord {
  id: string;
  full_name?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  status?: string | null;
  zuid?: string | null;
  role?: { id: string; name: string } | null;
  profile?: { id: string; name: string } | null;
  /** Built from a record's embedded Owner ({id, name, email}): other fields need the loader. */
  partial?: boolean;
}

/**
 * A user as a record embeds it (`Owner`, a user lookup: {id, name, email}). It is marked partial,
 * so the User type loads what it lacks (role, profile, status, and a name or email the embedding
 * left out, as COQL rows do) through the users loader.
 */
export function embeddedUser(value: unknown): ZohoUserRecord | null {
  const v = value as { id?: unknown; name?: unknown; email?: unknown } | null | undefined;
  if (!v || (typeof v.id !== 'string' && typeof v.id !== 'number')) return null;
  return { id: String(v.id), ...(typeof v.name === 'string' ? { full_name: v.name } : {}), ...(typeof v.email === 'string' ? { email: v.email } : {}), partial: true };
}

export interface Loaders {
  /** Users by id: one `GET /users?ids=…` per 100 distinct ids asked for in a request. */
  user: DataLoader<string, ZohoUserRecord | null>;
  /** Records by module, field set and id: `GET /{module}?ids=…` of at most 100 ids. */
  records: RecordLoaders;
}

/** Zoho's documented cap on `ids` for GET /users (crm-oas v8.0 getUsers: maxItems 100). */
export const USER_IDS_PER_CALL = 100;

export function createLoaders(zoho: ZohoFetch): Loaders {
  return {
    user: new DataLoader<string, ZohoUserRecord | null>(
      async (ids) => {
        const res = await zoho<{ users?: ZohoUserRecord[] }>({ method: 'GET', path: '/users', query: { type: 'AllUsers', ids: ids.join(',') } });
        const byId = new Map((res.body?.users ?? []).map((u) => [u.id, u]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { maxBatchSize: USER_IDS_PER_CALL },
    ),
    records: new RecordLoaders(zoho),
  };
}

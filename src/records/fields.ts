/** Zoho's cap on `fields` per list call (https://www.zoho.com/crm/developer/docs/api/v8/get-records.html). */
export const MAX_FIELDS_PER_CALL = 50;

/**
 * Splits the wanted field names into groups of at most 50, sorted so the same set always gives the
 * same groups (and the same page tokens). Zoho needs at least one field: `id` stands in when the
 * query reads nothing else.
 */
export function fieldGroups(names: Iterable<string>): string[][] {
  const sorted = [...new Set(names)].filter((n) => n !== 'id').sort();
  if (sorted.length === 0) return [['id']];
  const groups: string[][] = [];
  for (let i = 0; i < sorted.length; i += MAX_FIELDS_PER_CALL) groups.push(sorted.slice(i, i + MAX_FIELDS_PER_CALL));
  return groups;
}

export type ZRecord = Record<string, unknown> & { id: string };

/** Merges the answers of several field groups by record id, in the first group's order. */
export function mergeGroups(groups: readonly (readonly ZRecord[])[]): ZRecord[] {
  const [first = [], ...rest] = groups;
  const byId = new Map(first.map((r) => [r.id, { ...r }]));
  for (const g of rest)
    for (const r of g) {
      const target = byId.get(r.id);
      if (target) Object.assign(target, r);
    }
  return [...byId.values()];
}

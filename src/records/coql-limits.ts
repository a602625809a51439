import { GatewayError } from '../errors.js';
import { scanCoql, type CoqlToken as Tok } from './coql-tokens.js';

/**
 * A light look at a COQL query before it costs a Zoho call: not a parser (Zoho parses), just its
 * tokens (coql-tokens.ts: quotes and brackets known), enough to refuse what breaks one of Zoho's
 * documented limits with a message naming it (the scope checks read the query strictly:
 * coql-reads.ts, over the same tokens).
 * Anything it cannot judge goes to Zoho, whose SYNTAX_ERROR / INVALID_QUERY / LIMIT_EXCEEDED
 * answers reach the caller as BAD_USER_INPUT.
 *
 * The v8 limits (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html unless
 * noted; /work/shared/zoho-api.md quotes the older 50-column and 50-value limits, which v7 raised,
 * see src/emulator/coql/limits.ts):
 */
export const COQL_LIMITS = {
  /** "Each API call can retrieve a maximum of 2,000 records." */
  maxLimit: 2000,
  /** "The default value for LIMIT is 200 and OFFSET is 0." (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html) */
  defaultLimit: 200,
  /** "You can fetch up to 1,00,000 records using pagination with LIMIT and OFFSET." */
  maxRecords: 100_000,
  /** "You can include a maximum of 25 criteria in the WHERE clause." */
  criteria: 25,
  /**
   * "in (up to 100 values) / not in (up to 100 values)" (v8 COQL-Limitations.html; 50 before v7,
   * https://help.zoho.com/portal/en/community/topic/kaizen-183-coql-apis-enhancements-in-zoho-crm-api-version-7).
   */
  inValues: 100,
  /** "You can now retrieve up to 500 fields in a single query. Previously, the limit was 50." (Kaizen #183, v7 and later). */
  selectColumns: 500,
} as const;

const isWord = (t: Tok | undefined, w: string) => t?.kind === 'word' && t.text.toLowerCase() === w;

/**
 * What a FROM reads: a module api name, or (v7+) a custom view id, "a custom view ID directly in
 * the FROM clause" (Zoho's Kaizen #183, COQL API enhancements in v7).
 */
const fromTarget = (t: Tok | undefined): string | null => (t?.kind === 'word' || (t?.kind === 'number' && /^\d{1,19}$/.test(t.text)) ? t.text : null);

function limitError(message: string, limit: string, maximum: number): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `${message} (Zoho's COQL limit; https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html)`, {
    argument: 'query',
    limit,
    maximum,
  });
}

export interface CoqlShape {
  /** The module (or custom view id) after the top-level FROM (null when none was found). */
  module: string | null;
  /** Every module named after a FROM, subqueries included. */
  modules: string[];
  /** Dotted field paths (`Account_Name.Parent_Account.Account_Name`), bare or quoted. */
  paths: string[][];
}

/**
 * A lenient first look at the modules and paths of a query. Throws BAD_USER_INPUT when it does not
 * start `select … from <module>`. Not for scope checks: those need coql-reads.ts, which refuses
 * what it cannot read instead of skipping it.
 */
export function coqlShape(query: string): CoqlShape {
  const toks = scanCoql(query).tokens;
  const from = toks.findIndex((t) => t.depth === 0 && isWord(t, 'from'));
  const module = from >= 0 ? fromTarget(toks[from + 1]) : null;
  if (!isWord(toks[0], 'select') || !module) {
    throw new GatewayError('BAD_USER_INPUT', 'a COQL query reads `select <fields> from <module> where <criteria>` (https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html)', {
      argument: 'query',
    });
  }
  // Subqueries (`in (select id from Accounts where …)`) read their own module.
  const modules = toks.flatMap((t, i) => {
    const target = isWord(t, 'from') ? fromTarget(toks[i + 1]) : null;
    return target ? [target] : [];
  });
  const paths = toks
    .filter((t) => (t.kind === 'word' || t.kind === 'string') && t.text.includes('.'))
    .map((t) => (t.kind === 'string' ? t.text.slice(1, -1) : t.text))
    .filter((p) => /^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)+$/.test(p))
    .map((p) => p.split('.'));
  return { module, modules: [...new Set(modules)], paths };
}

/** Throws BAD_USER_INPUT naming the limit when the query certainly breaks one of Zoho's. */
export function checkCoqlLimits(query: string): void {
  coqlShape(query);
  const toks = scanCoql(query).tokens;
  const top = (w: string) => toks.findIndex((t) => t.depth === 0 && isWord(t, w));
  const from = top('from');
  const where = top('where');
  // "the query does not contain … the where clause" is a SYNTAX_ERROR
  // (https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html).
  if (where < 0) throw new GatewayError('BAD_USER_INPUT', 'COQL needs a WHERE clause, e.g. `where id is not null`', { argument: 'query', limit: 'where' });

  // Columns: the commas at depth 0 between SELECT and FROM (aggregates keep theirs inside brackets).
  const columns = toks.slice(1, from).filter((t) => t.depth === 0 && t.text === ',').length + 1;
  if (columns > COQL_LIMITS.selectColumns) throw limitError(`select has ${columns} columns; at most ${COQL_LIMITS.selectColumns}`, 'select', COQL_LIMITS.selectColumns);

  // The WHERE clause of the main query runs to GROUP/ORDER/LIMIT/OFFSET at depth 0.
  const clauseEnd = toks.findIndex((t, i) => i > where && t.depth === 0 && ['group', 'order', 'limit', 'offset'].some((w) => isWord(t, w)));
  checkWhere(toks.slice(where + 1, clauseEnd < 0 ? toks.length : clauseEnd));
  checkPage(toks, clauseEnd < 0 ? toks.length : clauseEnd);
}

/** Criteria: one per comparison (`=`, `!=`, `<`…, like, in, between, is [not] null). */
function checkWhere(toks: Tok[]): void {
  let criteria = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    // A subquery, `in (select id from … where …)`, has its own WHERE: Zoho's to count.
    if (t.text === '(' && isWord(toks[i + 1], 'select')) {
      while (i + 1 < toks.length && !(toks[i + 1]!.text === ')' && toks[i + 1]!.depth === t.depth)) i++;
      continue;
    }
    // `->` counts as one, as it did when this check read it as `-` and `>`: a refactor kept the
    // count. Whether Zoho counts a polymorphic hop as a criterion is UNVERIFIED (likely not).
    if (t.kind === 'op' || t.kind === 'arrow' || isWord(t, 'like') || isWord(t, 'between') || isWord(t, 'is')) criteria++;
    if (isWord(t, 'in') && toks[i + 1]?.text === '(') {
      criteria++;
      if (isWord(toks[i + 2], 'select')) continue;
      const inner = toks[i + 1]!.depth + 1;
      let values = 1;
      for (let j = i + 2; j < toks.length && !(toks[j]!.text === ')' && toks[j]!.depth === inner - 1); j++) {
        if (toks[j]!.text === ',' && toks[j]!.depth === inner) values++;
      }
      if (values > COQL_LIMITS.inValues) throw limitError(`an in list has ${values} values; at most ${COQL_LIMITS.inValues}`, 'in', COQL_LIMITS.inValues);
    }
  }
  if (criteria > COQL_LIMITS.criteria) throw limitError(`where has ${criteria} criteria; at most ${COQL_LIMITS.criteria}`, 'where', COQL_LIMITS.criteria);
}

/** `limit n`, `limit offset, n`, `limit n offset m`, `offset m` (COQL-Overview.html). */
function checkPage(toks: Tok[], from: number): void {
  let limit: number | undefined;
  let offset: number | undefined;
  const num = (t: Tok | undefined) => (t?.kind === 'number' && /^\d+$/.test(t.text) ? Number(t.text) : undefined);
  for (let i = from; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.depth !== 0) continue;
    if (isWord(t, 'limit')) {
      const a = num(toks[i + 1]);
      if (toks[i + 2]?.text === ',') {
        offset = a;
        limit = num(toks[i + 3]);
      } else limit = a;
    } else if (isWord(t, 'offset')) offset = num(toks[i + 1]);
  }
  if (limit !== undefined && limit > COQL_LIMITS.maxLimit) {
    throw limitError(`LIMIT ${limit} is more than ${COQL_LIMITS.maxLimit} rows per call; page with OFFSET`, 'limit', COQL_LIMITS.maxLimit);
  }
  const reach = (offset ?? 0) + (limit ?? COQL_LIMITS.defaultLimit);
  if (reach > COQL_LIMITS.maxRecords) {
    throw limitError(`OFFSET + LIMIT reaches record ${reach}; LIMIT and OFFSET reach at most ${COQL_LIMITS.maxRecords} records`, 'offset', COQL_LIMITS.maxRecords);
  }
}

/**
 * The one COQL tokenizer of the gateway, read two ways: the limit check (coql-limits.ts) takes
 * its tokens as they come and judges what it can, the scope reader (coql-reads.ts) refuses the
 * query when the scan met anything it could not read (`unreadable`), since a guess there is how
 * paths slip past the check. So the scan never stops: where it cannot read, it still emits a
 * token (one character, or a string running to the end) and notes the first such place.
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html; the
 * polymorphic `What_Id->Leads.Last_Name` form from Kaizen #81 (COQL API part II).
 */

export interface CoqlToken {
  /** `arrow` is `->`; a character the scan cannot read is a `punct` (`op` for a lone `!`). */
  kind: 'word' | 'string' | 'number' | 'op' | 'punct' | 'arrow';
  /** As written, quotes included. */
  text: string;
  /** A string's content with doubled quotes made single; otherwise the text. */
  value: string;
  /** Offset in the query, in UTF-16 code units. */
  at: number;
  /** How many brackets are open around the token (a bracket counts as outside itself). */
  depth: number;
}

export interface CoqlScan {
  tokens: CoqlToken[];
  /** The first place the scan could not read with certainty, and what it met there. */
  unreadable?: { at: number; why: string };
}

/** A name (field, module, keyword) as the scope reader knows it, as a regular expression source. */
export const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const WORD = new RegExp(`${NAME}(?:\\.${NAME})*`, 'y');
/** The limit check has always also taken `$` in names; the difference is noted as unreadable. */
const LOOSE_WORD = /[A-Za-z_$][A-Za-z0-9_$]*(?:\.[A-Za-z_$][A-Za-z0-9_$]*)*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
/** A name or number glued to one of these (`a.b.`, `1e5`) is not COQL the scope reader knows. */
const GLUED = /[.A-Za-z0-9_]/;
const OPERATORS = ['!=', '<>', '>=', '<=', '=', '>', '<'];

const sticky = (re: RegExp, query: string, at: number): string => {
  re.lastIndex = at;
  return re.exec(query)?.[0] ?? '';
};

/** Words, quoted strings, numbers, brackets, commas, `->` and comparison operators. */
export function scanCoql(query: string): CoqlScan {
  const tokens: CoqlToken[] = [];
  let unreadable: CoqlScan['unreadable'];
  const note = (at: number, why: string) => {
    unreadable ??= { at, why };
  };
  const strange = (at: number) => note(at, `the character ${JSON.stringify(query[at])}`);
  let depth = 0;
  let i = 0;
  const push = (kind: CoqlToken['kind'], text: string, value = text) => {
    tokens.push({ kind, text, value, at: i, depth });
    i += text.length;
  };
  while (i < query.length) {
    const c = query[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      // A quote is escaped by doubling it (Kaizen #171). Whether Zoho also reads `\'` as an
      // escape is not documented: a string where that would move its end is unreadable.
      let j = i + 1;
      let value = '';
      for (; j < query.length; j++) {
        const ch = query[j]!;
        if (ch === '\\' && /['"\\]/.test(query[j + 1] ?? '')) note(j, 'a backslash before a quote');
        if (ch === c) {
          if (query[j + 1] !== c) break;
          j++;
        }
        value += ch;
      }
      if (j >= query.length) note(i, 'an unterminated string');
      push('string', query.slice(i, j + 1), value);
      continue;
    }
    if (c === '(') {
      push('punct', c);
      depth++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      push('punct', c);
      continue;
    }
    if (c === ',') {
      push('punct', c);
      continue;
    }
    if (query.startsWith('->', i)) {
      push('arrow', '->');
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op) {
      push('op', op);
      continue;
    }
    const number = sticky(NUMBER, query, i);
    if (number) {
      if (GLUED.test(query[i + number.length] ?? '')) strange(i);
      push('number', number);
      continue;
    }
    const word = sticky(LOOSE_WORD, query, i);
    if (word) {
      const known = sticky(WORD, query, i).length;
      if (known < word.length || GLUED.test(query[i + known] ?? '')) strange(i + known);
      push('word', word);
      continue;
    }
    strange(i);
    push(c === '!' ? 'op' : 'punct', c);
  }
  return { tokens, unreadable };
}

import { CoqlError, unexpectedToken } from './errors.js';

/**
 * Tokens of a COQL query. Keywords are not told apart here: COQL keywords are case-insensitive
 * ("COQL keywords are not case-sensitive. SELECT is the same as select." —
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html), so the parser compares
 * `word` tokens case-insensitively where it expects a keyword.
 */
export type TokenKind = 'word' | 'string' | 'number' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Decoded value: the word, the unescaped string content, the number's digits, the operator. */
  value: string;
  /** The token as written in the query (for `near` in errors). */
  text: string;
  /** 1-based position of the token's first character. */
  line: number;
  column: number;
}

/**
 * A word is a field/module API name, possibly a lookup path with dots (`Account_Name.Parent_Account.Account_Name`),
 * or a keyword. https://www.zoho.com/crm/developer/docs/api/v8/COQL-Joins.html uses `.` for joins.
 */
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const OPERATORS = ['!=', '>=', '<=', '=', '>', '<'];

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = () => ({ line, column: i - lineStart + 1 });

  while (i < query.length) {
    const ch = query[i]!;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const pos = at();
    if (ch === "'" || ch === '"') {
      tokens.push({ kind: 'string', ...readString(query, i, ch, pos), ...pos });
      i += tokens[tokens.length - 1]!.text.length;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: 'punct', value: ch, text: ch, ...pos });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => query.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, text: op, ...pos });
      i += op.length;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(query);
    if (num) {
      tokens.push({ kind: 'number', value: num[0], text: num[0], ...pos });
      i += num[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(query);
    if (word) {
      tokens.push({ kind: 'word', value: word[0], text: word[0], ...pos });
      i += word[0].length;
      continue;
    }
    // `*`, `#` (custom-view ids in FROM), `->` (multi-module lookups) and the like are not part of
    // the subset this emulator implements; Zoho's answer to them is UNVERIFIED.
    throw unexpectedToken(pos.line, pos.column, query.slice(i, i + 20).split(/\s/)[0]!);
  }
  tokens.push({ kind: 'eof', value: '', text: '', ...at() });
  return tokens;
}

/**
 * A quoted string. A single quote inside single quotes is written twice (`'1'' 2'`), per Zoho's
 * "Kaizen #171: FAQs on COQL API" (https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api).
 * The same post says double-quoted strings escape `"` likewise; UNVERIFIED: that the escape is a
 * doubled `""` (we read it so). Backslashes are kept literally (UNVERIFIED).
 */
function readString(query: string, start: number, quote: string, pos: { line: number; column: number }): { value: string; text: string } {
  let value = '';
  let i = start + 1;
  while (i < query.length) {
    const ch = query[i]!;
    if (ch === quote) {
      if (query[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, text: query.slice(start, i + 1) };
    }
    value += ch;
    i++;
  }
  throw new CoqlError('SYNTAX_ERROR', 'unexpected token', { line: pos.line, column: pos.column, near: query.slice(start, start + 20) });
}

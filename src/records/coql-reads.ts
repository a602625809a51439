import { GatewayError } from '../errors.js';
import { NAME, scanCoql, type CoqlToken } from './coql-tokens.js';

/**
 * What a COQL query reads, for the gateway's scope checks: every SELECT (the query and each
 * `in (select …)` subquery) with its own FROM module and the field paths written in it.
 *
 * The scope check must fail closed, so this reader is strict where coql-limits.ts is lenient
 * over the same tokens (coql-tokens.ts): it knows the documented grammar (select columns,
 * aggregates, aliases, from, where with comparisons, like, in, between, is null, subqueries,
 * group by, order by, limit, offset) and refuses (FORBIDDEN) anything else, such as a `!` before a name, a `#` custom view or a string
 * whose end depends on how backslashes are read. A query Zoho would take but the gateway cannot
 * read is refused rather than guessed at: a guess is how paths slip past the check.
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html,
 * https://www.zoho.com/crm/developer/docs/api/v8/COQL-Joins.html; the polymorphic
 * `'What_Id->Leads.Last_Name'` form from Kaizen #81 (COQL API part II).
 */

/** One step of a path: a field of the module reached so far, or (after `->`) a module named outright. */
export type PathStep = { field: string } | { module: string };

export interface CoqlSelect {
  /** The module after this SELECT's FROM (a custom view's id when `customView` is set). */
  module: string;
  /** Paths written in this SELECT (not in its subqueries), as steps. */
  paths: PathStep[][];
  /** A custom view id read in FROM instead of a module (v7+): which module it reads is Zoho's to know. */
  customView?: string;
}

/** The reader's tokens end with `eof`, so it can look past the last one. */
type Tok = Omit<CoqlToken, 'kind'> & { kind: CoqlToken['kind'] | 'eof' };
/** A path as written in quotes: dotted names, optionally one `Field->Module` hop per segment. */
const QUOTED_PATH = new RegExp(`^${NAME}(?:(?:\\.|->)${NAME})*$`);
const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'like', 'in', 'between', 'is', 'null', 'group', 'order', 'by', 'asc', 'desc', 'limit', 'offset', 'as']);

function unreadable(query: string, at: number, why: string): GatewayError {
  return new GatewayError(
    'FORBIDDEN',
    `the gateway cannot check which modules this COQL query reads (${why} at character ${at + 1}, near ${JSON.stringify(query.slice(at, at + 20))}); it refuses what it cannot check`,
    { argument: 'query', reason: 'coql-unreadable' },
  );
}

/** The tokens with `eof` after them; FORBIDDEN where the scan met something it could not read. */
function tokenize(query: string): Tok[] {
  const { tokens, unreadable: at } = scanCoql(query);
  if (at) throw unreadable(query, at.at, at.why);
  return [...tokens, { kind: 'eof', text: '', value: '', at: query.length, depth: 0 }];
}

/** `Account_Name.Parent_Account`, `What_Id->Leads.Last_Name` → steps. */
function stepsOf(text: string): PathStep[] {
  const steps: PathStep[] = [];
  for (const [i, hop] of text.split('->').entries()) {
    const names = hop.split('.');
    if (i > 0) steps.push({ module: names.shift()! });
    for (const n of names) steps.push({ field: n });
  }
  return steps;
}

class Reader {
  private pos = 0;
  readonly selects: CoqlSelect[] = [];

  constructor(
    private readonly query: string,
    private readonly toks: Tok[],
  ) {}

  read(): CoqlSelect[] {
    this.select();
    this.expectKind('eof');
    return this.selects;
  }

  private select(): void {
    this.keyword('select');
    const paths: PathStep[][] = [];
    const aliases = new Set<string>();
    this.list(() => this.column(paths, aliases));
    this.keyword('from');
    const moduleTok = this.next();
    // v7+ also reads a custom view by its id in FROM (Kaizen #183): it names no module.
    const view = moduleTok.kind === 'number' && /^\d{1,19}$/.test(moduleTok.text) ? moduleTok.text : undefined;
    if (!view && (moduleTok.kind !== 'word' || moduleTok.value.includes('.') || KEYWORDS.has(moduleTok.value.toLowerCase()))) throw this.unexpected(moduleTok);
    const select: CoqlSelect = { module: moduleTok.value, paths, ...(view ? { customView: view } : {}) };
    this.selects.push(select);
    // WHERE is Zoho's to demand (coql-limits.ts says so first); its absence hides no read.
    if (this.isKeyword('where')) {
      this.next();
      this.condition(paths);
    }
    if (this.isKeyword('group')) {
      this.next();
      this.keyword('by');
      this.list(() => paths.push(this.ref()));
    }
    if (this.isKeyword('order')) {
      this.next();
      this.keyword('by');
      this.list(() => {
        const tok = this.peek();
        // An alias of a column may be quoted with spaces in it; it reads nothing new.
        if (tok.kind === 'string' && aliases.has(tok.value)) this.next();
        else paths.push(this.ref());
        if (this.isKeyword('asc') || this.isKeyword('desc')) this.next();
      });
    }
    if (this.isKeyword('limit')) {
      this.next();
      this.pageValue();
      if (this.peek().text === ',') {
        this.next();
        this.pageValue();
      }
    }
    if (this.isKeyword('offset')) {
      this.next();
      this.pageValue();
    }
  }

  private column(paths: PathStep[][], aliases: Set<string>): void {
    const tok = this.peek();
    if (tok.kind === 'word' && !tok.value.includes('.') && this.toks[this.pos + 1]?.text === '(') {
      // An aggregate, SUM(Amount): Zoho judges the function name; its argument is a path.
      this.next();
      this.punct('(');
      paths.push(this.ref());
      this.punct(')');
    } else paths.push(this.ref());
    if (this.isKeyword('as')) this.next();
    const alias = this.peek();
    if (alias.kind === 'string' || (alias.kind === 'word' && !alias.value.includes('.') && !KEYWORDS.has(alias.value.toLowerCase()))) {
      // An alias spelled like a path would hide that path where ORDER BY names it, if Zoho reads
      // the name as the path rather than the alias: no reading of it is safe, so refuse it.
      if (alias.kind === 'string' && /\.|->/.test(alias.value)) throw this.unexpected(alias);
      aliases.add(this.next().value);
    }
  }

  private condition(paths: PathStep[][]): void {
    this.term(paths);
    while (this.isKeyword('and') || this.isKeyword('or')) {
      this.next();
      this.term(paths);
    }
  }

  private term(paths: PathStep[][]): void {
    if (this.peek().text === '(' && this.peek().kind === 'punct') {
      this.next();
      this.condition(paths);
      this.punct(')');
      return;
    }
    paths.push(this.ref());
    const tok = this.next();
    if (tok.kind === 'op') {
      this.value(paths);
      return;
    }
    let word = tok;
    const negated = word.kind === 'word' && word.value.toLowerCase() === 'not';
    if (negated) word = this.next();
    const kw = word.kind === 'word' ? word.value.toLowerCase() : '';
    if (kw === 'like') {
      this.value(paths);
      return;
    }
    if (kw === 'between') {
      this.value(paths);
      this.keyword('and');
      this.value(paths);
      return;
    }
    if (kw === 'in') {
      this.punct('(');
      if (this.isKeyword('select')) this.select();
      else this.list(() => this.value(paths));
      this.punct(')');
      return;
    }
    if (kw === 'is' && !negated) {
      if (this.isKeyword('not')) this.next();
      this.keyword('null');
      return;
    }
    throw this.unexpected(word);
  }

  /** A value; a bare dotted word could be read as a field by Zoho, so it counts as a path. */
  private value(paths: PathStep[][]): void {
    const tok = this.next();
    if (tok.kind === 'string' || tok.kind === 'number') return;
    if (tok.kind === 'word' && !KEYWORDS.has(tok.value.toLowerCase())) {
      if (this.peek().kind === 'arrow') throw this.unexpected(this.peek());
      if (tok.value.includes('.')) paths.push(stepsOf(tok.value));
      return;
    }
    throw this.unexpected(tok);
  }

  private pageValue(): void {
    const tok = this.next();
    if (tok.kind === 'number' || tok.kind === 'string' || (tok.kind === 'word' && !tok.value.includes('.') && !KEYWORDS.has(tok.value.toLowerCase()))) return;
    throw this.unexpected(tok);
  }

  /** A field path: bare (`Account_Name.Account_Name`, `What_Id->Leads.Last_Name`) or quoted. */
  private ref(): PathStep[] {
    const tok = this.next();
    if (tok.kind === 'string') {
      if (!QUOTED_PATH.test(tok.value)) throw this.unexpected(tok);
      return stepsOf(tok.value);
    }
    if (tok.kind !== 'word' || KEYWORDS.has(tok.value.toLowerCase())) throw this.unexpected(tok);
    let text = tok.value;
    while (this.peek().kind === 'arrow') {
      this.next();
      const target = this.next();
      if (target.kind !== 'word' || KEYWORDS.has(target.value.toLowerCase())) throw this.unexpected(target);
      text += `->${target.value}`;
    }
    return stepsOf(text);
  }

  private list(item: () => void): void {
    item();
    while (this.peek().kind === 'punct' && this.peek().text === ',') {
      this.next();
      item();
    }
  }

  private peek(): Tok {
    return this.toks[this.pos]!;
  }

  private next(): Tok {
    const tok = this.toks[this.pos]!;
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private isKeyword(kw: string): boolean {
    const tok = this.peek();
    return tok.kind === 'word' && tok.value.toLowerCase() === kw;
  }

  private keyword(kw: string): void {
    if (!this.isKeyword(kw)) throw this.unexpected(this.peek());
    this.next();
  }

  private punct(p: string): void {
    const tok = this.next();
    if (tok.kind !== 'punct' || tok.text !== p) throw this.unexpected(tok);
  }

  private expectKind(kind: Tok['kind']): void {
    if (this.peek().kind !== kind) throw this.unexpected(this.peek());
  }

  private unexpected(tok: Tok): GatewayError {
    return unreadable(this.query, tok.at, tok.kind === 'eof' ? 'the end of the query' : `unexpected ${JSON.stringify(tok.text)}`);
  }
}

/**
 * Every SELECT of `query` with its module and paths, the main query first. Throws FORBIDDEN
 * (`reason: coql-unreadable`) for anything outside the grammar above.
 */
export function coqlReads(query: string): CoqlSelect[] {
  return new Reader(query, tokenize(query)).read();
}

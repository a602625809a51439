import type { AggregateFn, Column, Condition, FieldRef, Literal, Operator, OrderItem, SelectQuery } from './ast.js';
import { CoqlError, missingClause, operatorNotSupported, queryNotSupported, unexpectedToken } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Parses the SELECT subset of COQL that Zoho documents for v8:
 *   select <columns> from <module> where <criteria> [group by <fields>] [order by <field> [asc|desc], …]
 *   [limit <n> | limit <offset>, <n> | limit <n> offset <m>]
 * Sources: https://www.zoho.com/crm/developer/docs/api/v8/COQL-Overview.html (clauses, keywords
 * case-insensitive), https://www.zoho.com/crm/developer/docs/api/v8/Get-Records-through-COQL-Query.html
 * (operators per field type, aliases, aggregates), https://www.zoho.com/crm/developer/docs/api/v8/COQL-Limitations.html.
 * Names are not checked here; see validate.ts.
 */
export function parse(query: string): SelectQuery {
  return new Parser(tokenize(query)).query();
}

/** Words the parser treats as keywords wherever a field name could stand (quote a field to use one of these names). */
const KEYWORDS = new Set(['select', 'from', 'where', 'and', 'or', 'not', 'like', 'in', 'between', 'is', 'null', 'group', 'order', 'by', 'asc', 'desc', 'limit', 'offset', 'as']);
/** Statements other than SELECT: Zoho answers "given coql query not supported" (OAS SyntaxErrorQueryNotSupported). */
const OTHER_STATEMENTS = new Set(['update', 'delete', 'insert', 'upsert', 'create', 'drop', 'alter', 'truncate', 'replace', 'merge']);
/**
 * "Note that aggregate functions are case-sensitive." (Get-Records-through-COQL-Query.html, Aggregate Function).
 * Any other function name gets INVALID_DATA "unsupported aggregate function" (OAS InvalidDataUnsupportedFunction).
 */
const AGGREGATES = new Set<AggregateFn>(['SUM', 'MAX', 'MIN', 'AVG', 'COUNT']);

class Parser {
  private pos = 0;

  constructor(private readonly tokens: Token[]) {}

  query(): SelectQuery {
    const first = this.peek();
    if (!this.isKeyword(first, 'select')) {
      if (first.kind === 'word' && OTHER_STATEMENTS.has(first.value.toLowerCase())) throw queryNotSupported();
      throw this.unexpected(first);
    }
    this.next();
    const columns = this.columns();

    const fromTok = this.peek();
    if (!this.isKeyword(fromTok, 'from')) {
      if (fromTok.kind === 'eof' || this.isKeyword(fromTok, 'where')) throw missingClause('from');
      throw this.unexpected(fromTok);
    }
    this.next();
    const moduleTok = this.next();
    // v7+: "use a custom view ID directly in the FROM clause" (Zoho's Kaizen #183, COQL API
    // enhancements in v7): a number there is a custom view id, resolved by runCoql (index.ts).
    const isView = moduleTok.kind === 'number' && /^\d+$/.test(moduleTok.value);
    if (!isView && (moduleTok.kind !== 'word' || KEYWORDS.has(moduleTok.value.toLowerCase()))) throw this.unexpected(moduleTok);

    // WHERE is mandatory: OAS example SyntaxErrorInvalidClause `{"clause":"where"}` "missing clause", and
    // Get-Records-through-COQL-Query.html: SYNTAX_ERROR when "the query does not contain … the where clause".
    const whereTok = this.peek();
    if (!this.isKeyword(whereTok, 'where')) {
      if (whereTok.kind === 'eof' || ['group', 'order', 'limit', 'offset'].some((k) => this.isKeyword(whereTok, k))) throw missingClause('where');
      throw this.unexpected(whereTok);
    }
    this.next();
    const where = this.condition();

    const out: SelectQuery = {
      columns,
      module: moduleTok.value,
      modulePos: { line: moduleTok.line, column: moduleTok.column },
      where,
      groupBy: [],
      orderBy: [],
      ...(isView ? { customView: moduleTok.value } : {}),
    };
    if (this.isKeyword(this.peek(), 'group')) {
      this.next();
      this.expectKeyword('by');
      out.groupBy = this.list(() => this.fieldRef());
    }
    if (this.isKeyword(this.peek(), 'order')) {
      this.next();
      this.expectKeyword('by');
      out.orderBy = this.list(() => this.orderItem());
    }
    this.limitClause(out);
    const end = this.peek();
    if (end.kind !== 'eof') throw this.unexpected(end);
    return out;
  }

  private columns(): Column[] {
    return this.list(() => {
      const tok = this.peek();
      const after = this.tokens[this.pos + 1];
      let column: Column;
      if (tok.kind === 'word' && after?.kind === 'punct' && after.value === '(') column = this.aggregate();
      else column = { kind: 'field', field: this.fieldRef() };
      const alias = this.alias();
      if (alias !== undefined) column.alias = alias;
      return column;
    });
  }

  private aggregate(): Column {
    const name = this.next();
    this.expectPunct('(');
    const field = this.fieldRef();
    this.expectPunct(')');
    const text = `${name.value}(${field.text})`;
    if (!AGGREGATES.has(name.value as AggregateFn)) {
      throw new CoqlError('INVALID_DATA', 'invalid data', { reason: 'unsupported aggregate function', column: text });
    }
    return { kind: 'aggregate', fn: name.value as AggregateFn, field, text };
  }

  /**
   * `col AS 'Account id'`, `col as Alias`, or an alias without AS. Aliases are documented under
   * "Alias support" in Get-Records-through-COQL-Query.html (quoted with single quotes there).
   */
  private alias(): string | undefined {
    const tok = this.peek();
    if (this.isKeyword(tok, 'as')) {
      this.next();
      const name = this.next();
      if (name.kind === 'string' || (name.kind === 'word' && !KEYWORDS.has(name.value.toLowerCase()))) return name.value;
      throw this.unexpected(name);
    }
    if (tok.kind === 'string' || (tok.kind === 'word' && !KEYWORDS.has(tok.value.toLowerCase()))) {
      this.next();
      return tok.value;
    }
    return undefined;
  }

  /**
   * A field name or lookup path. Quoting a name (`'External'`) is how Zoho lets a reserved word be a
   * column (Kaizen #171, https://help.zoho.com/portal/en/community/topic/kaizen-171-faqs-on-coql-api);
   * COQL-Joins.html quotes every column (`'Account_Name.Parent_Account'`).
   */
  private fieldRef(): FieldRef {
    const tok = this.next();
    const ok = (tok.kind === 'word' && !KEYWORDS.has(tok.value.toLowerCase())) || (tok.kind === 'string' && /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(tok.value));
    if (!ok) throw this.unexpected(tok);
    return { path: tok.value.split('.'), text: tok.value, line: tok.line, column: tok.column };
  }

  private orderItem(): OrderItem {
    const tok = this.peek();
    // An alias may have spaces ('Account Name'); field paths may not.
    const ref: FieldRef = tok.kind === 'string' ? (this.next(), { path: tok.value.split('.'), text: tok.value, line: tok.line, column: tok.column }) : this.fieldRef();
    let direction: 'asc' | 'desc' = 'asc';
    if (this.isKeyword(this.peek(), 'asc') || this.isKeyword(this.peek(), 'desc')) direction = this.next().value.toLowerCase() as 'asc' | 'desc';
    return { ref, direction };
  }

  /**
   * "If WHERE has more than two criteria such as A, B, and C, use them as either of the following:
   * (A and (B and C)), ((A and B) and C), A and (B and C), (A and B) and C."
   * (Get-Records-through-COQL-Query.html; COQL-Limitations.html; Kaizen #171 question 2.)
   * So each bracket level joins at most two operands. UNVERIFIED: Zoho's exact error for
   * `A and B and C`; Kaizen #171 only says it "throws an error" — we answer SYNTAX_ERROR
   * "unexpected token" pointing at the third operand's connective.
   */
  private condition(): Condition {
    const left = this.term();
    const tok = this.peek();
    if (!this.isKeyword(tok, 'and') && !this.isKeyword(tok, 'or')) return left;
    this.next();
    const right = this.term();
    const extra = this.peek();
    if (this.isKeyword(extra, 'and') || this.isKeyword(extra, 'or')) throw this.unexpected(extra);
    return { kind: tok.value.toLowerCase() as 'and' | 'or', left, right };
  }

  private term(): Condition {
    const tok = this.peek();
    if (tok.kind === 'punct' && tok.value === '(') {
      this.next();
      const inner = this.condition();
      this.expectPunct(')');
      return inner;
    }
    // OAS example SyntaxErrorOperator: `{"operator":"not"}` "operator not supported".
    if (this.isKeyword(tok, 'not')) throw operatorNotSupported('not');
    return this.criterion();
  }

  private criterion(): Condition {
    const field = this.fieldRef();
    const tok = this.next();
    if (tok.kind === 'op') return { kind: 'criterion', field, op: tok.value as Operator, values: [this.literal()] };
    let negated = false;
    let word = tok;
    if (this.isKeyword(word, 'not')) {
      negated = true;
      word = this.next();
    }
    const kw = word.kind === 'word' ? word.value.toLowerCase() : '';
    const not = negated ? 'not ' : '';
    if (kw === 'like') return { kind: 'criterion', field, op: `${not}like` as Operator, values: [this.literal()] };
    if (kw === 'in') {
      this.expectPunct('(');
      const values = this.list(() => this.literal());
      this.expectPunct(')');
      return { kind: 'criterion', field, op: `${not}in` as Operator, values };
    }
    if (kw === 'between') {
      const low = this.literal();
      this.expectKeyword('and');
      return { kind: 'criterion', field, op: `${not}between` as Operator, values: [low, this.literal()] };
    }
    if (kw === 'is' && !negated) {
      let isNot = false;
      if (this.isKeyword(this.peek(), 'not')) {
        this.next();
        isNot = true;
      }
      this.expectKeyword('null');
      return { kind: 'criterion', field, op: isNot ? 'is not null' : 'is null', values: [] };
    }
    throw this.unexpected(word);
  }

  /**
   * A value: a quoted string, a number, true/false, or an unquoted word — Zoho's own sample writes
   * `(Lead_Source = Advertisement)` without quotes (Get-Records-through-COQL-Query.html, Text/Picklist).
   */
  private literal(): Literal {
    const tok = this.next();
    const pos = { line: tok.line, column: tok.column, text: tok.text };
    if (tok.kind === 'string') return { kind: 'string', value: tok.value, ...pos };
    if (tok.kind === 'number') return { kind: 'number', value: tok.value, ...pos };
    if (tok.kind === 'word' && !tok.value.includes('.')) {
      const lower = tok.value.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower, ...pos };
      if (!KEYWORDS.has(lower)) return { kind: 'word', value: tok.value, ...pos };
    }
    throw this.unexpected(tok);
  }

  /** `limit 10`, `limit 20, 10` (offset first), `limit 10 offset 20`. The values are judged in validate.ts. */
  private limitClause(out: SelectQuery): void {
    if (this.isKeyword(this.peek(), 'limit')) {
      this.next();
      const first = this.value();
      if (this.peek().kind === 'punct' && this.peek().value === ',') {
        this.next();
        out.offset = first;
        out.limit = this.value();
      } else out.limit = first;
    }
    if (this.isKeyword(this.peek(), 'offset')) {
      this.next();
      out.offset = this.value();
    }
  }

  private value(): { text: string; kind: 'number' | 'other' } {
    const tok = this.next();
    if (tok.kind === 'number') return { text: tok.value, kind: 'number' };
    if (tok.kind === 'word' || tok.kind === 'string') return { text: tok.value, kind: 'other' };
    throw this.unexpected(tok);
  }

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.peek().kind === 'punct' && this.peek().value === ',') {
      this.next();
      out.push(item());
    }
    return out;
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    const tok = this.tokens[this.pos]!;
    if (tok.kind !== 'eof') this.pos++;
    return tok;
  }

  private isKeyword(tok: Token, kw: string): boolean {
    return tok.kind === 'word' && tok.value.toLowerCase() === kw;
  }

  private expectKeyword(kw: string): void {
    const tok = this.next();
    if (!this.isKeyword(tok, kw)) throw this.unexpected(tok);
  }

  private expectPunct(p: string): void {
    const tok = this.next();
    if (tok.kind !== 'punct' || tok.value !== p) throw this.unexpected(tok);
  }

  private unexpected(tok: Token): CoqlError {
    return unexpectedToken(tok.line, tok.column, tok.kind === 'eof' ? '<end of query>' : tok.text);
  }
}

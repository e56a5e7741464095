import { CompareOp, Condition, Literal, OrderItem, SelectItem, SoqlQuery } from './ast';
import { SoqlSyntaxError, Token, tokenize } from './lexer';

/**
 * Parses the SOQL subset: `SELECT` field list (dotted relationship paths) or `COUNT()`, `FROM`,
 * `WHERE` with = != < <= > >= LIKE IN / NOT IN, AND / OR / NOT and parentheses, date and date-time
 * literals and relative date literals, semi-joins (`Id IN (SELECT ParentId FROM …)`), `ORDER BY` (ASC/DESC, NULLS FIRST/LAST), `LIMIT`, `OFFSET`.
 */

const DATE_LITERALS = new Set([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'THIS_WEEK',
  'LAST_WEEK',
  'THIS_MONTH',
  'LAST_MONTH',
  'THIS_YEAR',
]);
const N_DATE_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos];
  }
  private next(): Token {
    return this.tokens[this.pos++];
  }
  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'ident' && t.text.toUpperCase() === word;
  }
  private fail(t: Token = this.peek()): never {
    throw new SoqlSyntaxError(t.type === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.text}'`, t.column);
  }
  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail();
    this.pos++;
  }
  private expectPunct(p: string): void {
    const t = this.next();
    if (t.type !== 'punct' || t.text !== p) this.fail(t);
  }

  parse(): SoqlQuery {
    const query = this.select();
    if (this.peek().type !== 'eof') this.fail();
    return query;
  }

  /** A SELECT statement, up to whatever follows it (the end, or the `)` of a semi-join). */
  private select(): SoqlQuery {
    this.expectKeyword('SELECT');
    let count = false;
    const fields: SelectItem[] = [];
    if (this.isKeyword('COUNT') && this.tokens[this.pos + 1]?.text === '(' && this.tokens[this.pos + 2]?.text === ')') {
      this.pos += 3;
      count = true;
    } else {
      do {
        const t = this.next();
        if (t.type !== 'ident' || t.text.toUpperCase() === 'FROM') this.fail(t);
        fields.push({ path: t.text, column: t.column });
      } while (this.peek().text === ',' && this.next());
    }
    this.expectKeyword('FROM');
    const objTok = this.next();
    if (objTok.type !== 'ident') this.fail(objTok);
    const query: SoqlQuery = { count, fields, object: objTok.text, objectColumn: objTok.column, orderBy: [] };
    if (this.isKeyword('WHERE')) {
      this.pos++;
      query.where = this.orExpr();
    }
    if (this.isKeyword('ORDER')) {
      this.pos++;
      this.expectKeyword('BY');
      query.orderBy = this.orderList();
    }
    if (this.isKeyword('LIMIT')) {
      this.pos++;
      query.limit = this.integer();
    }
    if (this.isKeyword('OFFSET')) {
      this.pos++;
      query.offset = this.integer();
    }
    return query;
  }

  private integer(): number {
    const t = this.next();
    if (t.type !== 'number' || !/^\d+$/.test(t.text)) this.fail(t);
    return Number(t.text);
  }

  private orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const t = this.next();
      if (t.type !== 'ident') this.fail(t);
      let desc = false;
      if (this.isKeyword('ASC') || this.isKeyword('DESC')) desc = this.next().text.toUpperCase() === 'DESC';
      let nullsLast = desc;
      if (this.isKeyword('NULLS')) {
        this.pos++;
        if (!this.isKeyword('FIRST') && !this.isKeyword('LAST')) this.fail();
        nullsLast = this.next().text.toUpperCase() === 'LAST';
      }
      items.push({ path: t.text, desc, nullsLast, column: t.column });
    } while (this.peek().text === ',' && this.next());
    return items;
  }

  private orExpr(): Condition {
    const items = [this.andExpr()];
    while (this.isKeyword('OR')) {
      this.pos++;
      items.push(this.andExpr());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private andExpr(): Condition {
    const items = [this.unary()];
    while (this.isKeyword('AND')) {
      this.pos++;
      items.push(this.unary());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private unary(): Condition {
    if (this.isKeyword('NOT')) {
      this.pos++;
      return { kind: 'not', item: this.unary() };
    }
    if (this.peek().text === '(') {
      this.pos++;
      const inner = this.orExpr();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const f = this.next();
    if (f.type !== 'ident') this.fail(f);
    let op: CompareOp;
    const t = this.next();
    if (t.type === 'op') op = t.text as CompareOp;
    else if (t.type === 'ident' && t.text.toUpperCase() === 'LIKE') op = 'LIKE';
    else if (t.type === 'ident' && t.text.toUpperCase() === 'IN') op = 'IN';
    else if (t.type === 'ident' && t.text.toUpperCase() === 'NOT' && this.isKeyword('IN')) {
      this.pos++;
      op = 'NOT IN';
    } else this.fail(t);
    if (op === 'IN' || op === 'NOT IN') {
      this.expectPunct('(');
      if (this.isKeyword('SELECT')) {
        const sub = this.select();
        this.expectPunct(')');
        return { kind: 'semiJoin', path: f.text, not: op === 'NOT IN', sub, column: f.column };
      }
      const values: Literal[] = [];
      do values.push(this.literal());
      while (this.peek().text === ',' && this.next());
      this.expectPunct(')');
      return { kind: 'compare', path: f.text, op, value: values, column: f.column };
    }
    return { kind: 'compare', path: f.text, op, value: this.literal(), column: f.column };
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.type) {
      case 'string':
        return { kind: 'string', value: t.text };
      case 'number':
        return { kind: 'number', value: Number(t.text) };
      case 'date':
        return { kind: 'date', value: t.text };
      case 'datetime':
        return { kind: 'datetime', value: t.text };
      case 'ident': {
        const word = t.text.toUpperCase();
        if (word === 'TRUE' || word === 'FALSE') return { kind: 'boolean', value: word === 'TRUE' };
        if (word === 'NULL') return { kind: 'null' };
        if (DATE_LITERALS.has(word)) return { kind: 'dateLiteral', name: word };
        if (N_DATE_LITERALS.has(word)) {
          this.expectPunct(':');
          return { kind: 'dateLiteral', name: word, n: this.integer() };
        }
        return this.fail(t);
      }
      default:
        return this.fail(t);
    }
  }
}

/** Parses a SOQL statement; throws {@link SoqlSyntaxError} for anything outside the subset. */
export function parseSoql(soql: string): SoqlQuery {
  return new Parser(tokenize(soql)).parse();
}

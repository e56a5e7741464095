/** Splits a SOQL statement into tokens; positions are kept for Salesforce-style "ERROR at Row:1:Column:N" messages. */

export interface Token {
  type: 'ident' | 'string' | 'number' | 'date' | 'datetime' | 'op' | 'punct' | 'eof';
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

/** A query Salesforce would reject as MALFORMED_QUERY. */
export class SoqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;

/** Tokenises a SOQL statement. */
export function tokenize(soql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const c = soql[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const column = i + 1;
    const rest = soql.slice(i, i + 40);
    const dt = DATETIME.exec(rest) ?? undefined;
    const d = dt ? undefined : (DATE.exec(rest) ?? undefined);
    if (dt || d) {
      const text = (dt ?? d)![0];
      out.push({ type: dt ? 'datetime' : 'date', text, column });
      i += text.length;
    } else if (c === "'") {
      let j = i + 1;
      let value = '';
      while (j < soql.length && soql[j] !== "'") {
        if (soql[j] === '\\') {
          const n = soql[j + 1];
          value += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          j += 2;
        } else value += soql[j++];
      }
      if (j >= soql.length) throw new SoqlSyntaxError('unexpected end of string literal', column);
      out.push({ type: 'string', text: value, column });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(soql[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?/.exec(soql.slice(i)) as RegExpExecArray;
      out.push({ type: 'number', text: m[0], column });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(soql.slice(i)) as RegExpExecArray;
      out.push({ type: 'ident', text: m[0], column });
      i += m[0].length;
    } else if (/[<>!=]/.test(c)) {
      const two = soql.slice(i, i + 2);
      const op = ['<=', '>=', '!=', '<>'].includes(two) ? two : c;
      if (op === '!') throw new SoqlSyntaxError("unexpected token: '!'", column);
      out.push({ type: 'op', text: op === '<>' ? '!=' : op, column });
      i += op.length;
    } else if ('(),:'.includes(c)) {
      out.push({ type: 'punct', text: c, column });
      i++;
    } else {
      throw new SoqlSyntaxError(`unexpected token: '${c}'`, column);
    }
  }
  out.push({ type: 'eof', text: '', column: soql.length + 1 });
  return out;
}

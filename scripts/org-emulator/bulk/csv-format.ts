/**
 * CSV dialects of Bulk API 2.0 jobs ("Create a Job": columnDelimiter BACKQUOTE, CARET, COMMA, PIPE,
 * SEMICOLON, TAB; lineEnding LF or CRLF) and the writer for result files.
 */

export type ColumnDelimiter = 'BACKQUOTE' | 'CARET' | 'COMMA' | 'PIPE' | 'SEMICOLON' | 'TAB';
export type LineEnding = 'LF' | 'CRLF';

export const DELIMITERS: Record<ColumnDelimiter, string> = {
  BACKQUOTE: '`',
  CARET: '^',
  COMMA: ',',
  PIPE: '|',
  SEMICOLON: ';',
  TAB: '\t',
};

export const LINE_ENDINGS: Record<LineEnding, string> = { LF: '\n', CRLF: '\r\n' };

/** Builds one CSV line: every value quoted, quotes doubled (RFC 4180), as Salesforce's result files do. */
export function csvLine(values: readonly string[], delimiter: string, eol: string): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += (i ? delimiter : '') + '"' + (v.includes('"') ? v.replace(/"/g, '""') : v) + '"';
  }
  return out + eol;
}

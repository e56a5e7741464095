/** Syntax tree of the SOQL subset the emulator understands (SOQL and SOSL Reference, "SOQL SELECT Syntax"). */

export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'date'; value: string }
  | { kind: 'datetime'; value: string }
  /** TODAY, LAST_N_DAYS:n ... ("Date Formats and Date Literals"). */
  | { kind: 'dateLiteral'; name: string; n?: number };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'IN' | 'NOT IN';

export type Condition =
  | { kind: 'compare'; path: string; op: CompareOp; value: Literal | Literal[]; column: number }
  /** `Id IN (SELECT AccountId FROM Contact WHERE …)`: a semi-join (or anti-join with NOT IN) on one id field. */
  | { kind: 'semiJoin'; path: string; not: boolean; sub: SoqlQuery; column: number }
  | { kind: 'and' | 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition };

export interface OrderItem {
  path: string;
  desc: boolean;
  nullsLast: boolean;
  /** 1-based column of the field, for error messages. */
  column: number;
}

export interface SelectItem {
  /** Dotted field path, e.g. `Account.Name`; empty for COUNT(). */
  path: string;
  column: number;
}

export interface SoqlQuery {
  count: boolean;
  fields: SelectItem[];
  object: string;
  objectColumn: number;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}

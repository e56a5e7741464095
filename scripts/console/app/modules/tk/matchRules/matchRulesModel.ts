/**
 * The match rules editor's logic: an ordered list of "Object.Field" rules where every Contact rule comes
 * before every Lead rule (a Lead is linked only when no Contact matches; the server's schema says the
 * same and has the last word). Pure functions over string arrays, so the order rules are testable alone.
 */
import { LABELS, fill } from 'tk/labels';

export type RuleObject = 'Contact' | 'Lead';
export const RULE_OBJECTS: RuleObject[] = ['Contact', 'Lead'];
/** The schema's limit. */
export const MAX_RULES = 5;

/** A field API name: Email, Work_Email__c, ns__Email__c. */
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

const objectOf = (rule: string): RuleObject => (rule.startsWith('Lead.') ? 'Lead' : 'Contact');

export interface RuleRow {
  key: string;
  rule: string;
  index: number;
  position: number;
  object: RuleObject;
  field: string;
  dataId: string;
  /** A move that would cross the Contact/Lead boundary (or leave the list) is disabled. */
  upDisabled: boolean;
  downDisabled: boolean;
  upLabel: string;
  downLabel: string;
  removeLabel: string;
}

/** What the list shows: each rule with the moves the Contact-before-Lead order allows. */
export function ruleRows(rules: string[]): RuleRow[] {
  const L = LABELS.matchRules;
  return rules.map((rule, i) => {
    const object = objectOf(rule);
    return {
      key: rule,
      rule,
      index: i,
      position: i + 1,
      object,
      field: rule.slice(object.length + 1),
      dataId: `rule-${i}`,
      upDisabled: !(i > 0 && objectOf(rules[i - 1]) === object),
      downDisabled: !(i < rules.length - 1 && objectOf(rules[i + 1]) === object),
      upLabel: fill(L.moveUp, { rule }),
      downLabel: fill(L.moveDown, { rule }),
      removeLabel: fill(L.remove, { rule }),
    };
  });
}

/**
 * Adds Object.Field where it belongs: a Contact rule after the last Contact rule, a Lead rule last.
 * Answers the reason instead when the field is not an API name, the rule is listed, or the list is full.
 */
export function addRule(rules: string[], object: RuleObject, field: string): { rules: string[] } | { error: string } {
  const E = LABELS.matchRules.errors;
  const name = field.trim();
  if (!FIELD.test(name)) return { error: E.field };
  const rule = `${object}.${name}`;
  if (rules.some((r) => r.toLowerCase() === rule.toLowerCase())) return { error: fill(E.duplicate, { rule }) };
  if (rules.length >= MAX_RULES) return { error: fill(E.full, { max: MAX_RULES }) };
  const at = object === 'Lead' ? rules.length : rules.filter((r) => objectOf(r) === 'Contact').length;
  return { rules: [...rules.slice(0, at), rule, ...rules.slice(at)] };
}

/** Swaps a rule with its neighbour; a move across the Contact/Lead boundary changes nothing. */
export function moveRule(rules: string[], index: number, delta: -1 | 1): string[] {
  const other = index + delta;
  if (other < 0 || other >= rules.length || objectOf(rules[index]) !== objectOf(rules[other])) return rules;
  const next = [...rules];
  [next[index], next[other]] = [next[other], next[index]];
  return next;
}

export function removeRule(rules: string[], index: number): string[] {
  return rules.filter((_, i) => i !== index);
}

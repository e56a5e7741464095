import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { SecurityFinding } from './finding';

/** The reviewed justification file, relative to the project root. */
export const JUSTIFICATION_FILE = 'docs/security-review.md';

/** The info string of the fenced JSON block the check reads from the justification file. */
const JUSTIFICATION_FENCE = 'json security-justifications';

const text = z.string().trim().min(1);

const justificationSchema = z.strictObject({
  engine: text,
  rule: text,
  file: text,
  /** The trimmed source line the finding points at, exactly as the check prints it. */
  code: z.string().trim(),
  /** Why the finding is safe. */
  why: text.min(40, 'say why the finding is safe in a sentence or more'),
  /** What enforces the protection the rule asks for instead. */
  enforcedBy: text.min(20, 'name what enforces the protection instead'),
});

/** One reviewed finding: where it is, why it is safe, and what enforces the protection instead. */
export type Justification = z.infer<typeof justificationSchema>;

/**
 * The justifications of the fenced ```json security-justifications block of `markdown`.
 * Throws, naming the file and the entry, when the block is missing or an entry is incomplete.
 */
export function parseJustifications(markdown: string, source = JUSTIFICATION_FILE): Justification[] {
  const fence = new RegExp('^```' + JUSTIFICATION_FENCE + '[ \\t]*\\n([\\s\\S]*?)^```', 'm').exec(markdown);
  if (!fence) {
    throw new Error(`${source} has no \`\`\`${JUSTIFICATION_FENCE} block. Add one (an empty list is [ ]).`);
  }
  let data: unknown;
  try {
    data = JSON.parse(fence[1] ?? '');
  } catch (error) {
    throw new Error(`${source}: the justification block is not valid JSON (${(error as Error).message}).`);
  }
  const parsed = z.array(justificationSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new Error(`${source}: justification ${where} is invalid: ${issue?.message ?? 'unknown'}.`);
  }
  return parsed.data;
}

/** Reads and parses the justification file of the project in `root`. */
export function readJustifications(root: string): Justification[] {
  const path = `${root}/${JUSTIFICATION_FILE}`;
  let markdown: string;
  try {
    markdown = readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${JUSTIFICATION_FILE} is missing: it lists every reviewed severity 1-2 finding.`);
  }
  return parseJustifications(markdown);
}

/** Whether `justification` names `finding`: same engine, rule, file and source line. */
export function justifies(justification: Justification, finding: SecurityFinding): boolean {
  return (
    justification.engine === finding.engine &&
    justification.rule === finding.rule &&
    justification.file === finding.file &&
    justification.code === finding.code
  );
}

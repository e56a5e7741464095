import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CodeAnalyzer,
  CodeAnalyzerConfig,
  type EngineLogEvent,
  EventType,
  LogLevel,
  type RunResults,
  type Violation,
} from '@salesforce/code-analyzer-core';
import * as eslintEngine from '@salesforce/code-analyzer-eslint-engine';
import * as pmdEngine from '@salesforce/code-analyzer-pmd-engine';
import * as regexEngine from '@salesforce/code-analyzer-regex-engine';
import * as retireJsEngine from '@salesforce/code-analyzer-retirejs-engine';
import * as sfgeEngine from '@salesforce/code-analyzer-sfge-engine';
import { projectPath } from '../apex/files';
import { SECURITY_ENGINES, type SecurityEngine, type SecurityFinding } from './finding';
import { shippedFiles } from './shipped';

/**
 * The rule selection the AppExchange review runs, per engine. ESLint: the LWC rules (including the
 * security rule no-inner-html) and every rule tagged Security, on the compiled components.
 */
const SELECTORS: Record<SecurityEngine, string[]> = {
  pmd: ['pmd:Recommended', 'pmd:AppExchange'],
  sfge: ['sfge'],
  eslint: ['eslint:LWC', 'eslint:Security'],
  'retire-js': ['retire-js'],
  regex: ['regex'],
};

const PLUGINS = {
  pmd: pmdEngine,
  sfge: sfgeEngine,
  eslint: eslintEngine,
  'retire-js': retireJsEngine,
  regex: regexEngine,
} as const;

/** Replaces the stock MethodNamingConventions with one that knows the house test-method names. */
const PMD_RULESET = join(__dirname, 'pmd-rules.xml');

/**
 * Rule overrides, as the Apex check has them: every class must declare its sharing (severity 2), and
 * the stock naming rule leaves the Recommended set for the configured one in pmd-rules.xml.
 */
const RULE_OVERRIDES = {
  pmd: {
    ApexSharingViolations: { severity: 2 },
    MethodNamingConventions: { tags: ['CodeStyle', 'Apex', 'ReplacedByTestAwareMethodNamingConventions'] },
  },
};

/**
 * The Graph Engine gives up on an entry point after java_thread_timeout and reports it only in its log:
 * its 30 s default lost findings on a busy two-core machine. Two threads (one per core) and five
 * minutes per entry point; an entry point that still times out fails the check (see `errors`).
 */
const SFGE_CONFIG = { java_thread_count: 2, java_thread_timeout: 300_000 };

/** The raw Code Analyzer results (for the HTML and CSV report) and the findings drawn from them. */
export interface SecurityScan {
  results: RunResults;
  findings: SecurityFinding[];
  /** Errors the engines logged (an entry point the Graph Engine could not finish): the scan is incomplete. */
  errors: string[];
  /** Wall-clock time of the scan in milliseconds. */
  millis: number;
}

/**
 * Runs Salesforce Code Analyzer with the engines of the AppExchange security review over the files the
 * package deploys from `root`, in one run. `engines` narrows the run (tests use the fast ones).
 */
export async function scanPackage(
  root: string,
  engines: readonly SecurityEngine[] = SECURITY_ENGINES,
): Promise<SecurityScan> {
  const started = Date.now();
  const config = CodeAnalyzerConfig.fromObject(
    {
      config_root: root,
      engines: { pmd: { custom_rulesets: [PMD_RULESET] }, sfge: SFGE_CONFIG },
      rules: RULE_OVERRIDES,
    },
    root,
  );
  const analyzer = new CodeAnalyzer(config);
  const errors: string[] = [];
  analyzer.onEvent<EngineLogEvent>(EventType.EngineLogEvent, (event) => {
    if (event.logLevel === LogLevel.Error) errors.push(`${event.engineName}: ${event.message}`);
  });
  for (const engine of engines) await analyzer.addEnginePlugin(PLUGINS[engine].createEnginePlugin());
  const workspace = await analyzer.createWorkspace(shippedFiles(root));
  const selection = await analyzer.selectRules(
    engines.flatMap((engine) => SELECTORS[engine]),
    { workspace },
  );
  const results = await analyzer.run(selection, { workspace });
  const lines = new Map<string, string[]>();
  const findings = results.getViolations().map((violation) => toFinding(root, violation, lines));
  return { results, findings, errors, millis: Date.now() - started };
}

function toFinding(root: string, violation: Violation, cache: Map<string, string[]>): SecurityFinding {
  const rule = violation.getRule();
  const location = violation.getPrimaryLocation();
  const absolute = location.getFile() ?? '';
  const line = location.getStartLine();
  return {
    engine: rule.getEngineName(),
    rule: rule.getName(),
    severity: rule.getSeverityLevel(),
    file: absolute ? projectPath(root, absolute) : '',
    ...(line ? { line } : {}),
    code: line ? sourceLine(absolute, line, cache) : '',
    message: violation.getMessage(),
  };
}

function sourceLine(file: string, line: number, cache: Map<string, string[]>): string {
  let lines = cache.get(file);
  if (!lines) {
    lines = readFileSync(file, 'utf8').split('\n');
    cache.set(file, lines);
  }
  return (lines[line - 1] ?? '').trim();
}

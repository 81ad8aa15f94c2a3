// Runs the findings rules over a loaded store: the SQL rules on the store, the content rules in one read of the
// candidate events' content. See docs/findings.md for each rule, its parameters, severity and limits.
import { sourceFilesOf, type SqlTarget } from '../analysis/storeAccess';
import type { SourceFile } from '../store/readBack';
import { compareFindings, finalize, type Draft } from './build';
import { runContentRules } from './contentRules';
import { costSpikes, errorBursts, latencyOutliers, loggingGaps, missingFields, retention, retryStorms, tokenOutliers } from './storeRules';
import { CONTENT_RULES, DEFAULTS, RULES, SEVERITIES, atLeast, type Finding, type FindingsOptions, type RuleId, type Severity } from './types';

/**
 * Every finding of the chosen rules, most severe first. `files` are the loaded files in file_index order (as given
 * to loadSources; `sourceFilesOf(store)` reads them from the store). Throws the signal's reason when aborted.
 */
export async function runFindings(store: SqlTarget, files: readonly (SourceFile & { bytes?: number })[] | null, options: FindingsOptions = {}): Promise<Finding[]> {
  const requested = options.rules ?? RULES.filter((r) => r !== 'retention' || options.retentionDays !== undefined);
  for (const r of requested) if (!RULES.includes(r)) throw new Error(`unknown findings rule "${r}" (rules: ${RULES.join(', ')})`);
  const rules = new Set<RuleId>(requested);
  const maxEvents = options.maxEventsPerFinding ?? DEFAULTS.maxEventsPerFinding;
  const maxPerRule = options.maxFindingsPerRule ?? DEFAULTS.maxFindingsPerRule;
  const sources = files ?? sourceFilesOf(store);
  const drafts: Draft[] = [];
  const emit = (d: Draft) => drafts.push(d);
  const storeSteps: [RuleId, () => void][] = [
    ['latency-outlier', () => latencyOutliers(store, options, emit)],
    ['token-outlier', () => tokenOutliers(store, options, emit)],
    ['error-burst', () => errorBursts(store, options, emit)],
    ['retry-storm', () => retryStorms(store, options, emit)],
    ['cost-spike', () => costSpikes(store, options, emit, maxEvents)],
    ['retention', () => retention(store, options, emit, maxEvents)],
    ['missing-fields', () => missingFields(store, options, emit, maxEvents)],
    ['logging-gap', () => loggingGaps(store, options, emit)],
  ];
  const steps = storeSteps.filter(([r]) => rules.has(r));
  const content = CONTENT_RULES.filter((r) => rules.has(r));
  const total = steps.length + (content.length ? 1 : 0);
  let done = 0;
  for (const [rule, run] of steps) {
    options.signal?.throwIfAborted();
    run();
    done++;
    options.onProgress?.({ rule, rulesDone: done, rules: total });
  }
  if (content.length) {
    options.signal?.throwIfAborted();
    await runContentRules(store, sources, rules, options, emit, (n, of) => options.onProgress?.({ rule: 'content', rulesDone: done, rules: total, done: n, total: of }));
    done++;
    options.onProgress?.({ rule: 'content', rulesDone: done, rules: total });
  }
  const findings = drafts.map((d) => finalize(d, maxEvents)).sort(compareFindings);
  // At most maxPerRule findings per rule (the most severe, then the oldest); the rest summed in one info finding.
  const perRule = new Map<RuleId, number>();
  const kept: Finding[] = [];
  const dropped = new Map<RuleId, number>();
  for (const f of findings) {
    const n = perRule.get(f.rule) ?? 0;
    perRule.set(f.rule, n + 1);
    if (n < maxPerRule) kept.push(f);
    else dropped.set(f.rule, (dropped.get(f.rule) ?? 0) + 1);
  }
  for (const [rule, n] of dropped) {
    kept.push(
      finalize(
        { rule, severity: 'info', title: `${n} more ${rule} findings not listed`, message: `Only the first ${maxPerRule} ${rule} findings are listed; ${n} more were found.`, events: [], eventCount: 0, ts: null, key: `more:${n}`, details: { omitted: n } },
        maxEvents,
      ),
    );
  }
  return kept;
}

export interface FindingsSummary {
  total: number;
  bySeverity: Record<Severity, number>;
  byRule: Partial<Record<RuleId, number>>;
  /** The most severe, or null when there is none. */
  highest: Severity | null;
}

export function summarizeFindings(findings: readonly Finding[]): FindingsSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Partial<Record<RuleId, number>> = {};
  let highest: Severity | null = null;
  for (const f of findings) {
    bySeverity[f.severity]++;
    byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    if (highest === null || atLeast(f.severity, highest)) highest = f.severity;
  }
  return { total: findings.length, bySeverity, byRule, highest };
}

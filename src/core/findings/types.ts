// What the findings rules report, and their options. Documented in docs/findings.md.
import type { MapOptions } from '../formats/mapValue';

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function atLeast(s: Severity, min: Severity): boolean {
  return severityRank(s) >= severityRank(min);
}

export type RuleId =
  | 'prompt-injection'
  | 'indirect-injection'
  | 'system-prompt-leak'
  | 'secret-in-response'
  | 'latency-outlier'
  | 'token-outlier'
  | 'error-burst'
  | 'retry-storm'
  | 'cost-spike'
  | 'retention'
  | 'missing-fields'
  | 'logging-gap';

export const RULES: readonly RuleId[] = [
  'prompt-injection',
  'indirect-injection',
  'system-prompt-leak',
  'secret-in-response',
  'latency-outlier',
  'token-outlier',
  'error-burst',
  'retry-storm',
  'cost-spike',
  'retention',
  'missing-fields',
  'logging-gap',
];

/** The rules that need content read back from the export (the others run on the store alone). */
export const CONTENT_RULES: readonly RuleId[] = ['prompt-injection', 'indirect-injection', 'system-prompt-leak', 'secret-in-response'];

/** An event a finding concerns: the store's rowid and where it is in the export. */
export interface FindingEvent {
  rowid: number;
  fileIndex: number;
  line: number;
}

export type DetailValue = string | number | boolean | null | string[] | number[];

export interface Finding {
  /** Stable for the same data and options: the rule and a hash of what it concerns. */
  id: string;
  rule: RuleId;
  severity: Severity;
  /** Short, for a list. */
  title: string;
  /** Plain text; it may quote log content (a few words, never a whole secret), so renderers must escape it. */
  message: string;
  /** The events concerned, in time (or file) order, at most `maxEventsPerFinding`. */
  events: FindingEvent[];
  /** How many events it concerns in all. */
  eventCount: number;
  /** When (the first event's timestamp), if known. */
  ts: string | null;
  /** Rule-specific figures (score, median, threshold, pattern ids, …). */
  details: Record<string, DetailValue>;
}

export interface FindingsProgress {
  rule: RuleId | 'content';
  /** Rules finished so far, of `rules`. */
  rulesDone: number;
  rules: number;
  /** For the content pass: events read so far, of `total`. */
  done?: number;
  total?: number;
}

export interface FindingsOptions {
  /** Which rules run (default: all; `retention` runs only with retentionDays). */
  rules?: readonly RuleId[];
  signal?: AbortSignal;
  onProgress?: (p: FindingsProgress) => void;
  /** Cap of `events` per finding (eventCount stays exact). Default 200. */
  maxEventsPerFinding?: number;
  /** Cap of findings per rule. Default 1000. */
  maxFindingsPerRule?: number;
  /** The user JSONPath mappings the load used (content is mapped again the same way). */
  mappings?: MapOptions['mappings'];

  /** Robust z-score threshold for latency and token outliers: |x − median| / (1.4826·MAD). Default 3.5. */
  outlierThreshold?: number;
  /** An outlier must also be at least this multiple of the median. Default 1.5. */
  outlierMinRatio?: number;
  /** Calls per model needed before outliers are looked for. Default 10. */
  outlierMinSamples?: number;
  /** Error bursts: at least `count` errors within `windowMs`. Default 5 within 60 s. */
  errorBurst?: { count?: number; windowMs?: number };
  /** Retry storms: at least `count` calls of one session with the same prompt within `windowMs`. Default 5 within 60 s. */
  retryStorm?: { count?: number; windowMs?: number };
  /** Cost spikes: a bucket's cost over `factor` × the median of the previous `window` buckets with calls. */
  costSpike?: { bucket?: 'minute' | 'hour' | 'day'; window?: number; minBaseline?: number; factor?: number; minIncreaseUsd?: number };
  /** Retention policy in days: records older than that (relative to `now`) are reported. */
  retentionDays?: number;
  /** "Now" for the retention rule (default: the current time). */
  now?: Date | string | number;
  /** Logging gaps: a gap over `factor` × the median gap and over `minGapMs`. Default 20 × and 1 hour. */
  gap?: { factor?: number; minGapMs?: number };
  /** System-prompt leaks: this many consecutive words of the system instructions in a response. Default 10. */
  leakMinWords?: number;
  /** Kinds of events that must have a user (user_id or actor). Default: every kind but `message`. */
  userRequiredKinds?: readonly string[];
}

export const DEFAULTS = {
  maxEventsPerFinding: 200,
  maxFindingsPerRule: 1000,
  outlierThreshold: 3.5,
  outlierMinSamples: 10,
  outlierMinRatio: 1.5,
  errorBurst: { count: 5, windowMs: 60_000 },
  retryStorm: { count: 5, windowMs: 60_000 },
  costSpike: { bucket: 'hour' as const, window: 24, minBaseline: 3, factor: 5, minIncreaseUsd: 1 },
  gap: { factor: 20, minGapMs: 3_600_000 },
  leakMinWords: 10,
};

// Turns what a rule found into a Finding: a stable id, capped events, sorted output.
import { createHash } from 'node:crypto';
import type { SqlValue } from '../../shared/protocol';
import { severityRank, type DetailValue, type Finding, type FindingEvent, type RuleId, type Severity } from './types';

export interface Draft {
  rule: RuleId;
  severity: Severity;
  title: string;
  message: string;
  events: FindingEvent[];
  /** Total events concerned when `events` holds only some of them. */
  eventCount?: number;
  ts: string | null;
  details?: Record<string, DetailValue>;
  /** What makes the finding unique within its rule (default: its events). */
  key?: string;
}

export function findingId(rule: RuleId, key: string): string {
  return `${rule}:${createHash('sha256').update(`${rule}\n${key}`).digest('hex').slice(0, 12)}`;
}

export function finalize(d: Draft, maxEvents: number): Finding {
  const key = d.key ?? d.events.map((e) => e.rowid).join(',');
  return {
    id: findingId(d.rule, key),
    rule: d.rule,
    severity: d.severity,
    title: d.title,
    message: d.message,
    events: d.events.slice(0, maxEvents),
    eventCount: Math.max(d.eventCount ?? 0, d.events.length),
    ts: d.ts,
    details: d.details ?? {},
  };
}

/** Most severe first, then oldest first (undated last), then by rule and id. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    (a.ts ?? '\uffff').localeCompare(b.ts ?? '\uffff') ||
    a.rule.localeCompare(b.rule) ||
    a.id.localeCompare(b.id)
  );
}

/** rowid, file_index, line → FindingEvent. */
export function eventOf(r: SqlValue[], at = 0): FindingEvent {
  return { rowid: r[at] as number, fileIndex: r[at + 1] as number, line: r[at + 2] as number };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function fmtMs(ms: number): string {
  if (ms < 1000) return `${fmt(ms)} ms`;
  if (ms < 120_000) return `${fmt(ms / 1000, 1)} s`;
  if (ms < 2 * 3_600_000) return `${fmt(ms / 60_000, 1)} min`;
  if (ms < 2 * 86_400_000) return `${fmt(ms / 3_600_000, 1)} h`;
  return `${fmt(ms / 86_400_000, 1)} days`;
}

export function fmtUsd(n: number): string {
  return `$${n >= 1 ? fmt(n, 2) : n.toPrecision(3)}`;
}

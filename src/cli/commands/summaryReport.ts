// `audit-lens summary`: the normalized counts of one or more exports, as text or JSON.
import type { LoadSummary } from '../../shared/protocol';

export interface SummaryReport {
  files: { path: string; format: string; formatReason: string; compressed: boolean; bytes: number; lines: number; records: number; skipped: number; blankLines: number; events: number; dialects: Record<string, number> }[];
  records: number;
  skipped: number;
  skippedLines: { file: string; line: number; reason: string }[];
  skippedReasons: Record<string, number>;
  eventsByKind: Record<string, number>;
  events: number;
  sessions: number;
  users: number;
  models: string[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  errors: number;
  timeSpan: { first: string | null; last: string | null };
}

/** Groups reasons by their kind ("invalid JSON", "not a JSON object", …) without the per-line detail. */
function reasonKind(reason: string): string {
  return reason.replace(/:.*$/, '').replace(/\(found .*\)$/, '').replace(/\d[\d,]*/g, 'N').trim();
}

export function toReport(summary: LoadSummary, models: string[]): SummaryReport {
  const skippedReasons: Record<string, number> = {};
  for (const s of summary.skippedLines) skippedReasons[reasonKind(s.reason)] = (skippedReasons[reasonKind(s.reason)] ?? 0) + 1;
  return {
    files: summary.files.map((f) => ({
      path: f.path, format: f.format, formatReason: f.formatReason, compressed: f.compressed, bytes: f.bytes, lines: f.lines,
      records: f.records, skipped: f.skipped, blankLines: f.blankLines, events: f.events, dialects: f.dialects,
    })),
    records: summary.records,
    skipped: summary.skipped,
    skippedLines: summary.skippedLines.map((s) => ({ file: summary.files[s.fileIndex]?.path ?? '', line: s.line, reason: s.reason })),
    skippedReasons,
    eventsByKind: summary.eventsByKind,
    events: summary.events,
    sessions: summary.sessions,
    users: summary.users,
    models,
    inputTokens: summary.inputTokens,
    outputTokens: summary.outputTokens,
    costUsd: summary.costUsd,
    errors: summary.errors,
    timeSpan: { first: summary.firstTs, last: summary.lastTs },
  };
}

const n = (v: number) => v.toLocaleString('en-US');

export function formatText(r: SummaryReport): string {
  const out: string[] = [];
  for (const f of r.files) {
    out.push(`${f.path}`);
    out.push(`  format: ${f.format}${f.compressed ? ' (gzip)' : ''}: ${f.formatReason}`);
    const dialects = Object.entries(f.dialects).map(([d, c]) => `${n(c)} ${d}`).join(', ');
    out.push(`  ${n(f.lines)} lines: ${n(f.records)} records${dialects ? ` (${dialects})` : ''}, ${n(f.skipped)} skipped, ${n(f.blankLines)} blank; ${n(f.events)} events`);
  }
  out.push('');
  out.push(`records read   ${n(r.records)}`);
  out.push(`skipped        ${n(r.skipped)}`);
  for (const s of r.skippedLines.slice(0, 20)) out.push(`  ${s.file}:${s.line}: ${s.reason}`);
  if (r.skippedLines.length > 20) out.push(`  … ${n(r.skipped - 20)} more (use --json for the list)`);
  out.push(`events         ${n(r.events)}  (${Object.entries(r.eventsByKind).map(([k, c]) => `${k} ${n(c)}`).join(', ') || 'none'})`);
  out.push(`sessions       ${n(r.sessions)}`);
  out.push(`users          ${n(r.users)}`);
  out.push(`models         ${r.models.length ? r.models.join(', ') : '—'}`);
  out.push(`tokens in/out  ${n(r.inputTokens)} / ${n(r.outputTokens)}`);
  out.push(`cost (logged)  $${r.costUsd.toFixed(4)}`);
  out.push(`errors         ${n(r.errors)}`);
  out.push(`time span      ${r.timeSpan.first ?? '—'} → ${r.timeSpan.last ?? '—'}`);
  return out.join('\n') + '\n';
}

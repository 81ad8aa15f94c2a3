// The rules that need only the store (SQL over the events table): latency and token outliers, error bursts, retry
// storms, cost spikes, retention, missing fields and logging gaps. Each reads only the few columns it needs.
import type { SqlValue } from '../../shared/protocol';
import { queryAll, type SqlTarget } from '../analysis/storeAccess';
import { eventOf, fmt, fmtMs, fmtUsd, type Draft } from './build';
import { median, robustScale, robustScore } from './stats';
import { DEFAULTS, type FindingEvent, type FindingsOptions, type Severity } from './types';

type Emit = (d: Draft) => void;

const CALL_KINDS = "('llm', 'embedding')";
const MODEL = "coalesce(request_model, response_model, '(no model)')";

// ---------------------------------------------------------------- outliers

function outliers(
  target: SqlTarget,
  options: FindingsOptions,
  emit: Emit,
  rule: 'latency-outlier' | 'token-outlier',
  column: 'latency_ms' | 'input_tokens' | 'output_tokens',
): void {
  const threshold = options.outlierThreshold ?? DEFAULTS.outlierThreshold;
  const minSamples = options.outlierMinSamples ?? DEFAULTS.outlierMinSamples;
  const minRatio = options.outlierMinRatio ?? DEFAULTS.outlierMinRatio;
  const rows = queryAll(
    target,
    `SELECT rowid, file_index, line, ${MODEL}, ${column}, ts FROM events
     WHERE kind IN ${CALL_KINDS} AND ${column} IS NOT NULL ORDER BY 4, rowid`,
  );
  const byModel = new Map<string, SqlValue[][]>();
  for (const r of rows) {
    const list = byModel.get(String(r[3])) ?? [];
    list.push(r);
    byModel.set(String(r[3]), list);
  }
  const what = column === 'latency_ms' ? 'Latency' : column === 'input_tokens' ? 'Input tokens' : 'Output tokens';
  const show = (v: number) => (column === 'latency_ms' ? fmtMs(v) : fmt(v));
  for (const [model, list] of byModel) {
    if (list.length < minSamples) continue;
    const scale = robustScale(list.map((r) => r[4] as number));
    // Only the high side (a fast or small call is not a concern), and a real difference: when most values are
    // equal the spread is tiny and 520 tokens against a constant 500 would score high.
    const found = list
      .map((r) => ({ r, x: r[4] as number, score: robustScore(r[4] as number, scale) }))
      .filter((o) => o.x > scale.median && o.score > threshold && o.x >= minRatio * scale.median)
      .sort((a, b) => b.score - a.score || (a.r[0] as number) - (b.r[0] as number));
    if (found.length === 0) continue;
    const top = found[0];
    emit({
      rule,
      severity: top.score >= 2 * threshold ? 'medium' : 'low',
      title: `${found.length} ${what.toLowerCase()} outlier${found.length === 1 ? '' : 's'} for ${model}`,
      message: `${found.length} of ${list.length} calls of ${model} are over ${threshold} robust deviations above the median ${show(scale.median)} (scale ${show(scale.scale)}); the highest, ${show(top.x)} at line ${top.r[2]}, is ${fmt(top.score, 1)} deviations above.`,
      events: found.map((o) => eventOf(o.r)),
      eventCount: found.length,
      ts: found.map((o) => o.r[5] as string | null).filter((t): t is string => t !== null).sort()[0] ?? null,
      key: `${column}:${model}:${found.map((o) => o.r[0]).join(',')}`,
      details: {
        model,
        metric: column,
        calls: list.length,
        outliers: found.length,
        median: scale.median,
        mad: scale.mad,
        scale: Math.round(scale.scale * 1000) / 1000,
        threshold,
        maxValue: top.x,
        maxScore: Math.round(top.score * 100) / 100,
        scores: found.slice(0, 200).map((o) => Math.round(o.score * 100) / 100),
      },
    });
  }
}

export function latencyOutliers(target: SqlTarget, options: FindingsOptions, emit: Emit): void {
  outliers(target, options, emit, 'latency-outlier', 'latency_ms');
}

export function tokenOutliers(target: SqlTarget, options: FindingsOptions, emit: Emit): void {
  outliers(target, options, emit, 'token-outlier', 'input_tokens');
  outliers(target, options, emit, 'token-outlier', 'output_tokens');
}

// ---------------------------------------------------------------- windows

/**
 * Runs of at least `count` timestamps within `windowMs`: every window [t_i, t_i + windowMs] holding `count` or
 * more is marked, and overlapping windows merge into one run. Returns [first, last] index pairs.
 */
export function denseRuns(times: readonly number[], count: number, windowMs: number): [number, number][] {
  const runs: [number, number][] = [];
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    if (j < i) j = i;
    while (j + 1 < times.length && times[j + 1] - times[i] <= windowMs) j++;
    if (j - i + 1 >= count) {
      const last = runs[runs.length - 1];
      if (last && i <= last[1]) last[1] = Math.max(last[1], j);
      else runs.push([i, j]);
    }
  }
  return runs;
}

export function errorBursts(target: SqlTarget, options: FindingsOptions, emit: Emit): void {
  const count = options.errorBurst?.count ?? DEFAULTS.errorBurst.count;
  const windowMs = options.errorBurst?.windowMs ?? DEFAULTS.errorBurst.windowMs;
  const rows = queryAll(target, "SELECT rowid, file_index, line, ts, error_type FROM events WHERE status = 'error' AND kind <> 'message' AND ts IS NOT NULL ORDER BY ts, rowid");
  const times = rows.map((r) => Date.parse(r[3] as string));
  for (const [a, b] of denseRuns(times, count, windowMs)) {
    const run = rows.slice(a, b + 1);
    const types = [...new Set(run.map((r) => String(r[4] ?? 'error')))];
    emit({
      rule: 'error-burst',
      severity: run.length >= 4 * count ? 'high' : 'medium',
      title: `Burst of ${run.length} errors`,
      message: `${run.length} errors between ${run[0][3]} and ${run[run.length - 1][3]} (${fmtMs(times[b] - times[a])}); the rule reports ${count} or more within ${fmtMs(windowMs)}. Error types: ${types.join(', ')}.`,
      events: run.map((r) => eventOf(r)),
      ts: run[0][3] as string,
      details: { errors: run.length, first: run[0][3] as string, last: run[run.length - 1][3] as string, errorTypes: types, count, windowMs },
    });
  }
}

export function retryStorms(target: SqlTarget, options: FindingsOptions, emit: Emit): void {
  const count = options.retryStorm?.count ?? DEFAULTS.retryStorm.count;
  const windowMs = options.retryStorm?.windowMs ?? DEFAULTS.retryStorm.windowMs;
  // Same session, same system instructions (prompt_hash) and same last user message (preview): the same request.
  const rows = queryAll(
    target,
    `SELECT rowid, file_index, line, ts, session_id, coalesce(prompt_hash, ''), coalesce(preview, ''), status FROM events
     WHERE kind = 'llm' AND session_id IS NOT NULL AND ts IS NOT NULL ORDER BY session_id, 6, 7, ts, rowid`,
  );
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const same = i < rows.length && rows[i][4] === rows[start][4] && rows[i][5] === rows[start][5] && rows[i][6] === rows[start][6];
    if (same) continue;
    const group = rows.slice(start, i);
    start = i;
    if (group.length < count) continue;
    const times = group.map((r) => Date.parse(r[3] as string));
    for (const [a, b] of denseRuns(times, count, windowMs)) {
      const run = group.slice(a, b + 1);
      const errors = run.filter((r) => r[7] === 'error').length;
      const prompt = String(run[0][6]);
      emit({
        rule: 'retry-storm',
        severity: 'medium',
        title: `Retry storm: ${run.length} identical calls in session ${run[0][4]}`,
        message: `${run.length} calls with the same prompt in session ${run[0][4]} within ${fmtMs(times[b] - times[a])} (${errors} failed)${prompt ? `; last user message: "${prompt.slice(0, 80)}${prompt.length > 80 ? '…' : ''}"` : ''}.`,
        events: run.map((r) => eventOf(r)),
        ts: run[0][3] as string,
        details: { sessionId: run[0][4] as string, promptHash: (run[0][5] as string) || null, calls: run.length, errors, spanMs: times[b] - times[a], count, windowMs },
      });
    }
  }
}

// ---------------------------------------------------------------- cost spikes

const BUCKET_SQL = {
  minute: "substr(ts, 1, 16) || ':00Z'",
  hour: "substr(ts, 1, 13) || ':00:00Z'",
  day: "substr(ts, 1, 10) || 'T00:00:00Z'",
};

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function costSpikes(target: SqlTarget, options: FindingsOptions, emit: Emit, maxEvents: number): void {
  const o = { ...DEFAULTS.costSpike, ...options.costSpike };
  const threshold = options.outlierThreshold ?? DEFAULTS.outlierThreshold;
  const buckets = queryAll(
    target,
    `SELECT ${BUCKET_SQL[o.bucket]} AS b, sum(cost), count(*) FROM events WHERE kind IN ${CALL_KINDS} AND ts IS NOT NULL AND cost IS NOT NULL GROUP BY b ORDER BY b`,
  );
  for (let i = 0; i < buckets.length; i++) {
    const previous = buckets.slice(Math.max(0, i - o.window), i).map((r) => r[1] as number);
    if (previous.length < o.minBaseline) continue;
    const scale = robustScale(previous);
    const baseline = scale.median;
    const cost = buckets[i][1] as number;
    // Three conditions: a multiple of the usual cost, far outside its usual spread, and a real amount of money.
    const score = scale.scale > 0 ? (cost - baseline) / scale.scale : cost > baseline ? Infinity : 0;
    if (!(cost > o.factor * baseline && score > threshold && cost - baseline >= o.minIncreaseUsd)) continue;
    const bucket = String(buckets[i][0]);
    const from = new Date(Date.parse(bucket)).toISOString();
    const to = new Date(Date.parse(bucket) + BUCKET_MS[o.bucket]).toISOString();
    const calls = queryAll(
      target,
      `SELECT rowid, file_index, line, ts FROM events WHERE ts >= ? AND ts < ? AND kind IN ${CALL_KINDS} AND cost IS NOT NULL ORDER BY cost DESC, rowid LIMIT ?`,
      [from, to, maxEvents],
    );
    const ratio = baseline > 0 ? cost / baseline : Infinity;
    emit({
      rule: 'cost-spike',
      severity: ratio >= 10 * o.factor ? 'high' : 'medium',
      title: `Cost spike in the ${o.bucket} of ${bucket}`,
      message: `${fmtUsd(cost)} in the ${o.bucket} starting ${bucket} (${buckets[i][2]} calls), ${baseline > 0 ? `${fmt(ratio, 1)} × ` : 'over '}the median ${fmtUsd(baseline)} of the previous ${previous.length} ${o.bucket}s with calls.`,
      events: calls.map((r) => eventOf(r)),
      eventCount: buckets[i][2] as number,
      ts: from,
      key: bucket,
      details: { bucket, bucketSize: o.bucket, costUsd: cost, calls: buckets[i][2] as number, baselineUsd: baseline, baselineBuckets: previous.length, factor: o.factor, score: Number.isFinite(score) ? Math.round(score * 100) / 100 : null },
    });
  }
}

// ---------------------------------------------------------------- hygiene

function toMs(v: Date | string | number | undefined): number {
  if (v === undefined) return Date.now();
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new Error(`"now" is not a valid time: ${String(v)}`);
  return ms;
}

export function retention(target: SqlTarget, options: FindingsOptions, emit: Emit, maxEvents: number): void {
  const days = options.retentionDays;
  if (days === undefined) return;
  if (!Number.isFinite(days) || days < 0) throw new Error(`the retention period must be a number of days ≥ 0 (got ${days})`);
  const cutoff = new Date(toMs(options.now) - days * 86_400_000).toISOString();
  const perFile = queryAll(target, 'SELECT file_index, count(*), min(ts), max(ts) FROM events WHERE ts IS NOT NULL AND ts < ? GROUP BY file_index ORDER BY file_index', [cutoff]);
  for (const [fileIndex, n, oldest, newest] of perFile) {
    const rows = queryAll(target, 'SELECT rowid, file_index, line, ts FROM events WHERE ts IS NOT NULL AND ts < ? AND file_index = ? ORDER BY ts, rowid LIMIT ?', [cutoff, fileIndex, maxEvents]);
    emit({
      rule: 'retention',
      severity: 'medium',
      title: `${fmt(n as number)} records older than the ${days}-day retention`,
      message: `${fmt(n as number)} events of file ${fileIndex} are older than the retention policy of ${days} days (before ${cutoff}): from ${oldest} to ${newest}. They should have been deleted or archived.`,
      events: rows.map((r) => eventOf(r)),
      eventCount: n as number,
      ts: oldest as string,
      key: `${fileIndex}:${cutoff}`,
      details: { fileIndex: fileIndex as number, retentionDays: days, cutoff, events: n as number, oldest: oldest as string, newest: newest as string },
    });
  }
}

const ALL_KINDS_BUT_MESSAGE = ['llm', 'embedding', 'tool', 'retrieval', 'agent', 'chain', 'guardrail', 'session', 'feedback', 'system', 'access', 'security', 'other'];

export function missingFields(target: SqlTarget, options: FindingsOptions, emit: Emit, maxEvents: number): void {
  const userKinds = options.userRequiredKinds ?? ALL_KINDS_BUT_MESSAGE;
  const placeholders = (xs: readonly string[]) => xs.map(() => '?').join(', ');
  const checks: { field: string; severity: Severity; where: string; params: SqlValue[]; what: string }[] = [
    { field: 'timestamp', severity: 'medium', where: "kind <> 'message' AND ts IS NULL", params: [], what: 'no timestamp' },
    {
      field: 'user',
      severity: 'low',
      where: userKinds.length ? `kind IN (${placeholders(userKinds)}) AND user_id IS NULL AND actor IS NULL` : '0',
      params: [...userKinds],
      what: 'no user (neither a user id nor an actor)',
    },
    { field: 'model', severity: 'low', where: `kind IN ${CALL_KINDS} AND request_model IS NULL AND response_model IS NULL`, params: [], what: 'no model (model calls)' },
  ];
  for (const c of checks) {
    const n = queryAll(target, `SELECT count(*) FROM events WHERE ${c.where}`, c.params)[0][0] as number;
    if (n === 0) continue;
    const rows = queryAll(target, `SELECT rowid, file_index, line, ts FROM events WHERE ${c.where} ORDER BY rowid LIMIT ?`, [...c.params, maxEvents]);
    const kinds = queryAll(target, `SELECT kind, count(*) FROM events WHERE ${c.where} GROUP BY kind ORDER BY 2 DESC`, c.params);
    emit({
      rule: 'missing-fields',
      severity: c.severity,
      title: `${fmt(n)} events without ${c.field}`,
      message: `${fmt(n)} events have ${c.what}: ${kinds.map((k) => `${k[0]} ${k[1]}`).join(', ')}. An audit trail needs who, what model and when for every record.`,
      events: rows.map((r) => eventOf(r)),
      eventCount: n,
      ts: null,
      key: c.field,
      details: { field: c.field, events: n, kinds: kinds.map((k) => `${k[0]}:${k[1]}`) },
    });
  }
}

export function loggingGaps(target: SqlTarget, options: FindingsOptions, emit: Emit): void {
  const factor = options.gap?.factor ?? DEFAULTS.gap.factor;
  const minGapMs = options.gap?.minGapMs ?? DEFAULTS.gap.minGapMs;
  const rows = queryAll(target, 'SELECT rowid, file_index, line, ts, coalesce(end_ts, ts) FROM events WHERE ts IS NOT NULL ORDER BY ts, rowid');
  if (rows.length < 3) return;
  const starts = rows.map((r) => Date.parse(r[3] as string));
  const ends = rows.map((r, i) => Math.max(starts[i], Date.parse(r[4] as string) || starts[i]));
  // A gap runs from the latest end so far to the next start (a long call spanning it is not a gap).
  const gaps: { ms: number; before: number; after: number }[] = [];
  let latestEnd = ends[0];
  let latestIdx = 0;
  for (let i = 1; i < rows.length; i++) {
    const ms = starts[i] - latestEnd;
    if (ms > 0) gaps.push({ ms, before: latestIdx, after: i });
    if (ends[i] >= latestEnd) {
      latestEnd = ends[i];
      latestIdx = i;
    }
  }
  const typical = median(gaps.map((g) => g.ms));
  if (!Number.isFinite(typical)) return;
  for (const g of gaps) {
    if (!(g.ms > factor * typical && g.ms > minGapMs)) continue;
    const before = rows[g.before];
    const after = rows[g.after];
    const events: FindingEvent[] = [eventOf(before), eventOf(after)];
    emit({
      rule: 'logging-gap',
      severity: 'medium',
      title: `No records for ${fmtMs(g.ms)}`,
      message: `No record between ${new Date(ends[g.before]).toISOString()} and ${after[3]} (${fmtMs(g.ms)}), ${fmt(g.ms / typical, 0)} × the median gap of ${fmtMs(typical)}. Logging may have stopped, or records may be missing.`,
      events,
      ts: before[3] as string,
      details: { gapMs: g.ms, from: new Date(ends[g.before]).toISOString(), to: after[3] as string, medianGapMs: typical, factor, minGapMs },
    });
  }
}

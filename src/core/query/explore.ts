// The queries behind the explore views: filter choices, sessions, a session's events, and chart series.
import type { SqlValue } from '../../shared/protocol';
import type { NormalizedSession } from '../model/normalized';
import type { EventStore } from '../store/eventStore';
import { CALLS_SQL, MODEL_KEY_SQL, ROLLUP_SCHEMA, TOP_N, costSql, latencySummary, nearestRank, parseLatencies, rollupState, rollupsUsable } from '../store/rollups';
import { filterSql, type EventFilter } from './filter';

export interface FilterChoices {
  users: string[];
  sessions: number;
  models: string[];
  environments: string[];
  statuses: string[];
  kinds: string[];
  firstTs: string | null;
  lastTs: string | null;
}

/** A session as the Sessions tree, the timeline header and the CLI show it: the normalized session. */
export type SessionRow = NormalizedSession;

const distinct = (store: EventStore, col: string) =>
  store.query(`SELECT DISTINCT ${col} FROM events WHERE ${col} IS NOT NULL ORDER BY ${col} LIMIT 2000`).rows.map((r) => String(r[0]));

/** The sessions table keeps tags as JSON text; anything else gives no tags. */
function parseTags(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function filterChoices(store: EventStore): FilterChoices {
  const span = store.query('SELECT min(ts), max(coalesce(end_ts, ts)), (SELECT count(*) FROM sessions) FROM events').rows[0];
  return {
    users: distinct(store, 'user_id'),
    sessions: span[2] as number,
    // The model filter matches the requested or the responded model, so both are offered (some logs name only one).
    models: store
      .query("SELECT m FROM (SELECT request_model AS m FROM events UNION SELECT response_model FROM events) WHERE m IS NOT NULL ORDER BY m LIMIT 2000")
      .rows.map((r) => String(r[0])),
    environments: distinct(store, 'environment'),
    statuses: distinct(store, 'status'),
    kinds: distinct(store, 'kind'),
    firstTs: span[0] as string | null,
    lastTs: span[1] as string | null,
  };
}

/** Sessions with at least one event matching the filter; their figures are over all their events. */
export function listSessions(store: EventStore, filter: EventFilter, limit = 5000): SessionRow[] {
  const { where, params } = filterSql(filter, 'e');
  const rows = store.query(
    `SELECT s.id, s.user_id, s.start_ts, s.end_ts, s.events, s.llm_calls, s.input_tokens, s.output_tokens, s.cost_usd,
            (SELECT count(*) FROM events u WHERE u.session_id = s.id AND u.cost_source = 'unpriced'), s.errors, s.flags, s.resolution, s.tags
     FROM sessions s
     WHERE s.id IN (SELECT DISTINCT e.session_id FROM events e WHERE e.session_id IS NOT NULL AND ${where})
     ORDER BY s.start_ts DESC LIMIT ?`,
    [...params, limit],
  ).rows;
  return rows.map((r: SqlValue[]) => ({
    id: String(r[0]),
    userId: r[1] as string | null,
    start: r[2] as string | null,
    end: r[3] as string | null,
    events: r[4] as number,
    llmCalls: (r[5] as number) ?? 0,
    inputTokens: r[6] as number,
    outputTokens: r[7] as number,
    costUsd: r[8] as number,
    unpriced: r[9] as number,
    errors: (r[10] as number) ?? 0,
    flags: (r[11] as number) ?? 0,
    resolution: r[12] as NormalizedSession['resolution'],
    tags: parseTags(r[13]),
  }));
}

/** The stored fields of a session's events, in time order (file order breaks ties), a page at a time. */
export function sessionEventIds(store: EventStore, sessionId: string): number[] {
  return store
    .query("SELECT rowid FROM events WHERE session_id = ? AND kind <> 'message' ORDER BY coalesce(ts, '9999'), file_index, line, idx", [sessionId])
    .rows.map((r) => r[0] as number);
}

export interface StoredFigures {
  rowid: number;
  cost: number | null;
  costSource: string | null;
  priceKey: string | null;
  sessionId: string | null;
  userId: string | null;
}

export function storedFigures(store: EventStore, rowid: number): StoredFigures | null {
  const r = store.query('SELECT rowid, cost, cost_source, price_key, session_id, user_id FROM events WHERE rowid = ?', [rowid]).rows[0];
  return r ? { rowid: r[0] as number, cost: r[1] as number | null, costSource: r[2] as string | null, priceKey: r[3] as string | null, sessionId: r[4] as string | null, userId: r[5] as string | null } : null;
}

// ---------------------------------------------------------------- charts
//
// Two ways to the same ChartData: the rollup tables built at load time (src/core/store/rollups.ts) when the filter
// and the bucket allow them exactly, else scans of the events table as before. chartPlan says which one and why;
// tests compute both on the same store and compare them.

export type StackBy = 'model' | 'user' | 'environment';
export type Bucket = 'minute' | 'hour' | 'day' | 'week' | 'month';

const BUCKET_MS: Record<Bucket, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000, month: 30 * 86_400_000 };

/** The bucket that gives at most ~400 points over the span. */
export function chooseBucket(firstTs: string | null, lastTs: string | null): Bucket {
  if (!firstTs || !lastTs) return 'day';
  const span = Date.parse(lastTs) - Date.parse(firstTs);
  for (const b of ['minute', 'hour', 'day', 'week'] as Bucket[]) if (span / BUCKET_MS[b] <= 400) return b;
  return 'month';
}

const BUCKET_SQL: Record<Bucket, string> = {
  minute: "substr(ts, 1, 16) || ':00Z'",
  hour: "substr(ts, 1, 13) || ':00:00Z'",
  day: "substr(ts, 1, 10) || 'T00:00:00Z'",
  week: "date(substr(ts, 1, 10), '-6 days', 'weekday 1') || 'T00:00:00Z'", // the Monday on or before
  month: "substr(ts, 1, 7) || '-01T00:00:00Z'",
};

/** The same buckets over a rollup's `day` (= substr(ts, 1, 10)); minutes and hours are not rolled up. */
const DAY_BUCKET_SQL: Record<Bucket, string | null> = {
  minute: null,
  hour: null,
  day: "day || 'T00:00:00Z'",
  week: "date(day, '-6 days', 'weekday 1') || 'T00:00:00Z'",
  month: "substr(day, 1, 7) || '-01T00:00:00Z'",
};

/** Stack keys; the rollup tables have the same column names. */
const STACK_COL: Record<StackBy, string> = {
  model: MODEL_KEY_SQL,
  user: "coalesce(user_id, '(no user)')",
  environment: "coalesce(environment, '(no environment)')",
};

export interface ChartData {
  bucket: Bucket;
  stackBy: StackBy;
  /** Bucket start times, epoch seconds, ascending. */
  times: number[];
  /**
   * One series per stack key, values per bucket, most expensive first: at most MAX_SERIES; past that, the last one
   * sums the rest and says how many keys it holds (`others`).
   */
  series: { key: string; inputTokens: number[]; outputTokens: number[]; cachedTokens: number[]; cost: number[]; others?: number }[];
  top: { sessions: { key: string; cost: number; calls: number }[]; users: { key: string; cost: number; calls: number }[]; models: { key: string; cost: number; calls: number }[] };
  latency: { model: string; calls: number; p50: number; p95: number; p99: number }[];
  unpricedCalls: number;
}

/** Nearest rank over ascending values: the ceil(p/100 · n)-th smallest (the rollups use the same function). */
const percentile = nearestRank;

/** How many sessions, users and models the top lists show. */
const TOP = TOP_N;
type TopRow = ChartData['top']['sessions'][number];
type SeriesRow = SqlValue[]; // bucket, stack key, input, output, cached tokens, cost

export type RollupTable = 'calls_daily' | 'call_groups';
export type ChartPlan =
  | { path: 'rollup'; bucket: Bucket; /** The table the filter applies to (call_groups for a user or session filter). */ table: RollupTable }
  | { path: 'scan'; /** Known when it was chosen from the span on the way. */ bucket?: Bucket; reason: string };

export interface ChartOptions {
  /** false: scan the events even when the rollups could answer (tests compare both paths). */
  rollups?: boolean;
}

export function chartData(store: EventStore, filter: EventFilter, stackBy: StackBy, bucket?: Bucket, options: ChartOptions = {}): ChartData {
  if (options.rollups !== false) {
    const plan = chartPlan(store, filter, bucket);
    if (plan.path === 'rollup') {
      const data = rollupChartData(store, filter, stackBy, plan);
      if (data) return data;
    } else if (plan.bucket) {
      bucket = plan.bucket;
    }
  }
  return scanChartData(store, filter, stackBy, bucket);
}

/** A stacked chart stays readable: 11 stacks of their own and one for the rest (users at scale are thousands). */
export const MAX_SERIES = 12;

function assemble(
  bucket: Bucket,
  stackBy: StackBy,
  rows: SeriesRow[],
  top: ChartData['top'],
  latency: ChartData['latency'],
  unpricedCalls: number,
): ChartData {
  const times = [...new Set(rows.map((r) => String(r[0])))].sort();
  const index = new Map(times.map((t, i) => [t, i]));
  // Each key's total cost, added in bucket order (rows come ordered by bucket, then key).
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(String(r[1]), (totals.get(String(r[1])) ?? 0) + (r[5] as number));
  const ranked = [...totals.keys()].sort((x, y) => totals.get(y)! - totals.get(x)!);
  const folded = ranked.length > MAX_SERIES ? ranked.length - (MAX_SERIES - 1) : 0;
  const zeros = () => new Array<number>(times.length).fill(0);
  const series = (folded ? ranked.slice(0, MAX_SERIES - 1) : ranked).map((key) => ({ key, inputTokens: zeros(), outputTokens: zeros(), cachedTokens: zeros(), cost: zeros() }));
  const others: ChartData['series'][number] = { key: `${folded} others`, inputTokens: zeros(), outputTokens: zeros(), cachedTokens: zeros(), cost: zeros(), others: folded };
  const byKey = new Map(series.map((x) => [x.key, x]));
  for (const r of rows) {
    const s = byKey.get(String(r[1])) ?? others;
    const i = index.get(String(r[0]))!;
    s.inputTokens[i] += r[2] as number;
    s.outputTokens[i] += r[3] as number;
    s.cachedTokens[i] += r[4] as number;
    s.cost[i] += r[5] as number;
  }
  return {
    bucket,
    stackBy,
    times: times.map((t) => Date.parse(t) / 1000),
    series: folded ? [...series, others] : series,
    top,
    latency,
    unpricedCalls,
  };
}

const topRows = (rows: SqlValue[][]): TopRow[] => rows.map((r) => ({ key: String(r[0]), cost: r[1] as number, calls: r[2] as number }));

/** The first and last timestamp of the events matching the filter (all kinds, as the bucket choice has it). */
function scanSpan(store: EventStore, filter: EventFilter): [string | null, string | null] {
  const { where, params } = filterSql(filter);
  const span = store.query(`SELECT min(ts), max(ts) FROM events WHERE ts IS NOT NULL AND ${where}`, params).rows[0];
  return [span[0] as string | null, span[1] as string | null];
}

/** The charts by full scans of the events table (any filter, any bucket). */
function scanChartData(store: EventStore, filter: EventFilter, stackBy: StackBy, bucket?: Bucket): ChartData {
  const { where, params } = filterSql(filter);
  const b = bucket ?? chooseBucket(...scanSpan(store, filter));
  const calls = `${CALLS_SQL} AND ${where}`;
  // Aggregate before anything else: one pass, grouped by bucket and stack key.
  const rows = store.query(
    `SELECT ${BUCKET_SQL[b]} AS bucket, ${STACK_COL[stackBy]} AS k, coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0),
            coalesce(sum(cached_tokens),0), coalesce(sum(cost),0)
     FROM events WHERE ${calls} GROUP BY bucket, k ORDER BY bucket, k`,
    params,
  ).rows;
  const top = (col: string) =>
    topRows(store.query(`SELECT ${col} AS k, coalesce(sum(cost),0) AS c, count(*) FROM events WHERE ${calls} AND ${col} IS NOT NULL GROUP BY k ORDER BY c DESC, k LIMIT ${TOP}`, params).rows);
  const latencyRows = store.query(`SELECT ${MODEL_KEY_SQL}, latency_ms FROM events WHERE ${calls} AND latency_ms IS NOT NULL ORDER BY 1, 2`, params).rows;
  const perModel = new Map<string, number[]>();
  for (const r of latencyRows) {
    const list = perModel.get(String(r[0])) ?? [];
    list.push(r[1] as number);
    perModel.set(String(r[0]), list);
  }
  const latency = [...perModel.entries()].map(([model, v]) => ({ model, calls: v.length, p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99) }));
  const unpriced = store.query(`SELECT count(*) FROM events WHERE ${calls} AND cost_source = 'unpriced'`, params).rows[0][0] as number;
  return assemble(b, stackBy, rows, { sessions: top('session_id'), users: top('user_id'), models: top('coalesce(request_model, response_model)') }, latency, unpriced);
}

// ---------------------------------------------------------------- charts from the rollups

/** Filter fields the rollups have no column for: any of them means a scan. */
const SCAN_ONLY_FIELDS: (keyof EventFilter)[] = ['text', 'promptHash', 'codeFile', 'codeLine', 'selection'];

/** The filter over a rollup table's columns (filterSql's conditions, same parameters); `time: false` leaves from/to out. */
function rollupFilterSql(f: EventFilter, time = true): { where: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const add = (sql: string, ...values: SqlValue[]) => {
    parts.push(sql);
    params.push(...values);
  };
  // A group is wholly inside or wholly outside the time range (chartPlan checks it): its first and last call decide.
  if (time && f.from) add('first_ts >= ?', f.from);
  if (time && f.to) add('last_ts <= ?', f.to);
  if (f.userId) add('user_id = ?', f.userId);
  if (f.sessionId) add('session_id = ?', f.sessionId);
  if (f.model) add('(request_model = ? OR response_model = ?)', f.model, f.model);
  if (f.environment) add('environment = ?', f.environment);
  if (f.status) add('status = ?', f.status);
  if (f.kind) add('kind = ?', f.kind);
  return { where: parts.length ? parts.join(' AND ') : '1', params };
}

/** Whether some group matching the rest of the filter has calls both inside and outside the time range. */
function timeRangeCutsGroups(store: EventStore, table: RollupTable, f: EventFilter): boolean {
  const rest = rollupFilterSql(f, false);
  const inside: string[] = [];
  const outside: string[] = [];
  const insideParams: SqlValue[] = [];
  const outsideParams: SqlValue[] = [];
  if (f.from) {
    inside.push('first_ts >= ?');
    insideParams.push(f.from);
    outside.push('last_ts < ?');
    outsideParams.push(f.from);
  }
  if (f.to) {
    inside.push('last_ts <= ?');
    insideParams.push(f.to);
    outside.push('first_ts > ?');
    outsideParams.push(f.to);
  }
  return (
    store.query(
      `SELECT 1 FROM ${ROLLUP_SCHEMA}.${table} WHERE ${rest.where} AND NOT (${inside.join(' AND ')}) AND NOT (${outside.join(' OR ')}) LIMIT 1`,
      [...rest.params, ...insideParams, ...outsideParams],
    ).rows.length > 0
  );
}

const spanMs = (first: string, last: string) => Date.parse(last) - Date.parse(first);

/**
 * The bucket the scan would choose from the span of every matching event (all kinds), without scanning: the span of
 * the matching calls (from the rollup) is a lower bound, the span of all events in the time range (two index
 * lookups) an upper bound; when both give the same bucket, so does the exact span. Otherwise the exact span is read.
 */
function rollupBucket(store: EventStore, table: RollupTable, f: EventFilter): Bucket {
  const conds = ['ts IS NOT NULL'];
  const params: SqlValue[] = [];
  if (f.from) {
    conds.push('ts >= ?');
    params.push(f.from);
  }
  if (f.to) {
    conds.push('ts <= ?');
    params.push(f.to);
  }
  const c = conds.join(' AND ');
  const outer = store.query(`SELECT (SELECT min(ts) FROM events WHERE ${c}), (SELECT max(ts) FROM events WHERE ${c})`, [...params, ...params]).rows[0] as (string | null)[];
  if (rollupFilterSql(f, false).where === '1') return chooseBucket(outer[0], outer[1]); // only a time range (or nothing): the exact span
  const { where, params: rp } = rollupFilterSql(f);
  const inner = store.query(`SELECT min(first_ts), max(last_ts) FROM ${ROLLUP_SCHEMA}.${table} WHERE ${where}`, rp).rows[0] as (string | null)[];
  if (inner[0] && inner[1] && outer[0] && outer[1]) {
    const lo = spanMs(inner[0], inner[1]);
    const hi = spanMs(outer[0], outer[1]);
    const bucket = chooseBucket(inner[0], inner[1]);
    if (Number.isFinite(lo) && Number.isFinite(hi) && bucket === chooseBucket(outer[0], outer[1])) return bucket;
  }
  return chooseBucket(...scanSpan(store, f));
}

/** Whether the rollups answer this chart exactly (and from which table), or why the events are scanned. */
export function chartPlan(store: EventStore, filter: EventFilter, bucket?: Bucket): ChartPlan {
  const db = store.database;
  if (!rollupsUsable(db)) return { path: 'scan', bucket, reason: `no usable rollups${rollupState(db)?.reason ? ` (${rollupState(db)!.reason})` : ''}` };
  const field = SCAN_ONLY_FIELDS.find((k) => filter[k]);
  if (field) return { path: 'scan', bucket, reason: `the filter on ${field}` };
  if (filter.status === 'flagged') return { path: 'scan', bucket, reason: 'the flagged status' };
  if (bucket && !DAY_BUCKET_SQL[bucket]) return { path: 'scan', bucket, reason: `${bucket} buckets` };
  const table: RollupTable = filter.userId || filter.sessionId ? 'call_groups' : 'calls_daily';
  if ((filter.from || filter.to) && timeRangeCutsGroups(store, table, filter)) return { path: 'scan', bucket, reason: 'the time range cuts through a day of calls' };
  const b = bucket ?? rollupBucket(store, table, filter);
  if (!DAY_BUCKET_SQL[b]) return { path: 'scan', bucket: b, reason: `${b} buckets` };
  return { path: 'rollup', bucket: b, table };
}

const COST_SQL = costSql('sum(cost_h1)', 'sum(cost_h2)', 'sum(cost_l)');

/** The charts from the rollups; null if they turn out not to fit after all (then the caller scans). */
function rollupChartData(store: EventStore, filter: EventFilter, stackBy: StackBy, plan: Extract<ChartPlan, { path: 'rollup' }>): ChartData | null {
  const { where, params } = rollupFilterSql(filter);
  const unfiltered = where === '1';
  const from = (table: RollupTable) => `${ROLLUP_SCHEMA}.${table} WHERE ${where}`;
  // Stacking by user needs the user's column, which only call_groups has.
  const rows = store.query(
    `SELECT ${DAY_BUCKET_SQL[plan.bucket]} AS bucket, ${STACK_COL[stackBy]} AS k, coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0),
            coalesce(sum(cached_tokens),0), coalesce(${COST_SQL},0)
     FROM ${from(stackBy === 'user' ? 'call_groups' : plan.table)} GROUP BY bucket, k ORDER BY bucket, k`,
    params,
  ).rows;
  const top = (col: string, table: RollupTable) =>
    topRows(store.query(`SELECT ${col} AS k, coalesce(${COST_SQL},0) AS c, sum(calls) FROM ${from(table)} AND ${col} IS NOT NULL GROUP BY k ORDER BY c DESC, k LIMIT ${TOP}`, params).rows);
  const ranked = (table: 'top_sessions' | 'top_users', col: string) =>
    topRows(store.query(`SELECT ${col}, cost, calls FROM ${ROLLUP_SCHEMA}.${table} ORDER BY rank LIMIT ${TOP}`).rows);
  const sessions = unfiltered ? ranked('top_sessions', 'session_id') : top('session_id', 'call_groups');
  const users = unfiltered ? ranked('top_users', 'user_id') : top('user_id', 'call_groups');
  const models = top('coalesce(request_model, response_model)', plan.table);
  let latency: ChartData['latency'];
  if (unfiltered) {
    latency = store.query(`SELECT model, calls, p50, p95, p99 FROM ${ROLLUP_SCHEMA}.latency ORDER BY model`).rows.map((r) => ({
      model: String(r[0]), calls: r[1] as number, p50: r[2] as number, p95: r[3] as number, p99: r[4] as number,
    }));
  } else {
    latency = [];
    const lists = store.query(`SELECT ${MODEL_KEY_SQL} AS m, sum(latencies), group_concat(latency_list) FROM ${from(plan.table)} GROUP BY m ORDER BY m`, params).rows;
    for (const [model, n, list] of lists) {
      if (!n) continue;
      const values = typeof list === 'string' ? parseLatencies(list) : null;
      if (!values || values.length !== n) return null;
      latency.push({ model: String(model), ...latencySummary(values) });
    }
  }
  const unpriced = store.query(`SELECT coalesce(sum(unpriced), 0) FROM ${from(plan.table)}`, params).rows[0][0] as number;
  return assemble(plan.bucket, stackBy, rows, { sessions, users, models }, latency, unpriced);
}

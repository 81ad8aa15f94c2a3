// The queries behind the explore views: filter choices, sessions, a session's events, and chart series.
import type { SqlValue } from '../../shared/protocol';
import type { NormalizedSession } from '../model/normalized';
import type { EventStore } from '../store/eventStore';
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
    models: distinct(store, 'request_model'),
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
  week: "date(substr(ts, 1, 10), 'weekday 1', '-7 days') || 'T00:00:00Z'",
  month: "substr(ts, 1, 7) || '-01T00:00:00Z'",
};

const STACK_COL: Record<StackBy, string> = {
  model: "coalesce(request_model, response_model, '(no model)')",
  user: "coalesce(user_id, '(no user)')",
  environment: "coalesce(environment, '(no environment)')",
};

export interface ChartData {
  bucket: Bucket;
  stackBy: StackBy;
  /** Bucket start times, epoch seconds, ascending. */
  times: number[];
  /** One series per stack key: values per bucket. */
  series: { key: string; inputTokens: number[]; outputTokens: number[]; cachedTokens: number[]; cost: number[] }[];
  top: { sessions: { key: string; cost: number; calls: number }[]; users: { key: string; cost: number; calls: number }[]; models: { key: string; cost: number; calls: number }[] };
  latency: { model: string; calls: number; p50: number; p95: number; p99: number }[];
  unpricedCalls: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function chartData(store: EventStore, filter: EventFilter, stackBy: StackBy, bucket?: Bucket): ChartData {
  const { where, params } = filterSql(filter);
  const span = store.query(`SELECT min(ts), max(ts) FROM events WHERE ts IS NOT NULL AND ${where}`, params).rows[0];
  const b = bucket ?? chooseBucket(span[0] as string | null, span[1] as string | null);
  const calls = `kind IN ('llm', 'embedding') AND ts IS NOT NULL AND ${where}`;
  // Aggregate before anything else: one pass, grouped by bucket and stack key.
  const rows = store.query(
    `SELECT ${BUCKET_SQL[b]} AS bucket, ${STACK_COL[stackBy]} AS k, coalesce(sum(input_tokens),0), coalesce(sum(output_tokens),0),
            coalesce(sum(cached_tokens),0), coalesce(sum(cost),0)
     FROM events WHERE ${calls} GROUP BY bucket, k ORDER BY bucket`,
    params,
  ).rows;
  const times = [...new Set(rows.map((r) => String(r[0])))].sort();
  const index = new Map(times.map((t, i) => [t, i]));
  const byKey = new Map<string, ChartData['series'][number]>();
  for (const r of rows) {
    const key = String(r[1]);
    let s = byKey.get(key);
    if (!s) {
      const zeros = () => new Array<number>(times.length).fill(0);
      s = { key, inputTokens: zeros(), outputTokens: zeros(), cachedTokens: zeros(), cost: zeros() };
      byKey.set(key, s);
    }
    const i = index.get(String(r[0]))!;
    s.inputTokens[i] = r[2] as number;
    s.outputTokens[i] = r[3] as number;
    s.cachedTokens[i] = r[4] as number;
    s.cost[i] = r[5] as number;
  }
  const top = (col: string) =>
    store
      .query(`SELECT ${col} AS k, coalesce(sum(cost),0) AS c, count(*) FROM events WHERE ${calls} AND ${col} IS NOT NULL GROUP BY k ORDER BY c DESC LIMIT 10`, params)
      .rows.map((r) => ({ key: String(r[0]), cost: r[1] as number, calls: r[2] as number }));
  const latencyRows = store.query(
    `SELECT coalesce(request_model, response_model, '(no model)'), latency_ms FROM events WHERE ${calls} AND latency_ms IS NOT NULL ORDER BY 1, 2`,
    params,
  ).rows;
  const perModel = new Map<string, number[]>();
  for (const r of latencyRows) {
    const list = perModel.get(String(r[0])) ?? [];
    list.push(r[1] as number);
    perModel.set(String(r[0]), list);
  }
  const latency = [...perModel.entries()].map(([model, v]) => ({ model, calls: v.length, p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99) }));
  const unpriced = store.query(`SELECT count(*) FROM events WHERE ${calls} AND cost_source = 'unpriced'`, params).rows[0][0] as number;
  return {
    bucket: b,
    stackBy,
    times: times.map((t) => Date.parse(t) / 1000),
    series: [...byKey.values()].sort((x, y) => y.cost.reduce((a, c) => a + c, 0) - x.cost.reduce((a, c) => a + c, 0)),
    top: { sessions: top('session_id'), users: top('user_id'), models: top("coalesce(request_model, response_model)") },
    latency,
    unpricedCalls: unpriced,
  };
}

// Rollups: small tables built once at the end of loading (after merges and session inheritance) so the charts
// answer from pre-aggregated rows instead of scanning every event. They live in an attached in-memory database
// named `rollup` (queried as `rollup.calls_daily` …), so the schema browser's list of normalized tables (main and
// temp) stays what it was; read-only SQL over them works like over any table. See docs/schema.md, "Rollups".
//
// Only model calls are rolled up: events of kind llm or embedding that have a timestamp (what chartData charts).
//
//   rollup.call_groups   one row per (day, kind, request_model, response_model, environment, status, user_id,
//                        session_id): calls, unpriced calls, first/last ts, token sums, the cost in three exact parts,
//                        the latencies (a comma list). Rows are stored in that key order.
//   rollup.calls_daily   the same without user_id and session_id: one row per (day, kind, request_model,
//                        response_model, environment, status).
//   rollup.top_sessions  the TOP_N sessions whose calls cost the most (rank 1 = most expensive), with their calls.
//   rollup.top_users     the same for users.
//   rollup.latency       per model (coalesce(request_model, response_model, '(no model)')): calls with a latency and
//                        the nearest-rank p50 / p95 / p99 of all of them.
//   rollup.info          key/value: whether the rollups may be used (`usable`), why not (`reason`), build time.
//
// Exactness. Counts, token sums (integers) and first/last timestamps combine exactly. A sum of costs (doubles) is
// rounded, so adding group sums would not give the same last bits as SQLite's sum() over the events (a compensated,
// in practice correctly rounded sum). Each call's cost c (validated: 0 <= c < 2^32) is therefore split exactly
// into c = h1 + h2 + l with h1 on a grid of 2^-20, h2 on a grid of 2^-48 (below 2^-20) and l < 2^-48: sums of h1
// and of h2 are exact in any order (they stay far below 2^53 grid steps), only the tiny l parts round, and the
// three sums are combined with an error-free two-sum (costSql). The result is the correctly rounded total, as the
// scan path's compensated sum(cost) gives, unless the exact total lies within about n·2^-100 USD (n calls) of a
// rounding boundary.
// Latencies are kept as the text SQLite prints for them, which reads back to the same doubles.
//
// When the data breaks an assumption (a negative or huge cost, non-integer tokens, a latency that is not a finite
// number, more than 2^25 calls, or any SQL error), the tables are dropped, `usable` is 0 with the reason, and
// chartData keeps using full scans.
import type { Database } from 'sql.js';

export const ROLLUP_SCHEMA = 'rollup';
/** Bumped when the tables change shape. */
export const ROLLUP_VERSION = 1;
/** The model key of the charts' stacks and latency rows. */
export const MODEL_KEY_SQL = "coalesce(request_model, response_model, '(no model)')";
/** How many sessions, users and models the charts' top lists show (top_sessions and top_users keep as many). */
export const TOP_N = 10;
/** The calls the charts count. */
export const CALLS_SQL = "kind IN ('llm', 'embedding') AND ts IS NOT NULL";

export interface RollupState {
  usable: boolean;
  /** Why the rollups are not used (empty when usable). */
  reason: string;
  buildMs: number;
  /** Rows of call_groups and calls_daily. */
  groups: number;
  days: number;
}

const states = new WeakMap<Database, RollupState>();

/** The rollups of this database as buildRollups left them; null when they were never built on it. */
export function rollupState(db: Database): RollupState | null {
  return states.get(db) ?? null;
}

/**
 * Whether chartData may read the rollups of this database: built, valid, and still attached (a connection that was
 * closed and reopened, as sql.js's export() does, has lost them).
 */
export function rollupsUsable(db: Database): boolean {
  const s = states.get(db);
  if (!s?.usable) return false;
  try {
    return db.exec(`SELECT 1 FROM pragma_database_list WHERE name = '${ROLLUP_SCHEMA}'`).length > 0;
  } catch {
    return false;
  }
}

// The exact split of a call's cost (see the file comment). SQLite does not share subexpressions; the repetition is
// a few float operations per call.
const H1 = '(CAST(cost * 1048576.0 AS INTEGER) / 1048576.0)';
const R = `(cost - ${H1})`;
const H2 = `(CAST(${R} * 281474976710656.0 AS INTEGER) / 281474976710656.0)`;
const L = `(${R} - ${H2})`;

/**
 * The total cost from the sums of the three parts (SQL expressions of sum(cost_h1), sum(cost_h2), sum(cost_l)):
 * s = h1 + h2 with its exact rounding error e (two-sum), then s + (e + l). NULL when there was no cost.
 */
export function costSql(h1: string, h2: string, l: string): string {
  const s = `(${h1} + ${h2})`;
  const bb = `(${s} - ${h1})`;
  return `(${s} + (((${h1} - (${s} - ${bb})) + (${h2} - ${bb})) + ${l}))`;
}

/** The same in JS (tests, and for values already read). */
export function combineCost(h1: number | null, h2: number | null, l: number | null): number | null {
  if (h1 === null || h2 === null || l === null) return null;
  const s = h1 + h2;
  const bb = s - h1;
  return s + ((h1 - (s - bb)) + (h2 - bb) + l);
}

/** Parses a latency list (`group_concat(latency_ms)`) into numbers; null when it is not a list of finite numbers. */
export function parseLatencies(list: string): number[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(`[${list}]`);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  for (const v of parsed) if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  return parsed as number[];
}

/** Nearest rank, as the charts define it: the ceil(p/100 · n)-th smallest value (sorted ascending). */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function latencySummary(values: number[]): { calls: number; p50: number; p95: number; p99: number } {
  const sorted = Float64Array.from(values).sort();
  return { calls: sorted.length, p50: nearestRank(sorted, 50), p95: nearestRank(sorted, 95), p99: nearestRank(sorted, 99) };
}

const DAILY_KEY = ['day', 'kind', 'request_model', 'response_model', 'environment', 'status'];
const GROUP_KEY = [...DAILY_KEY, 'user_id', 'session_id'];

// call_groups: one sort of the calls (the GROUP BY), stored in key order. calls_daily: its rows with the same daily
// key are consecutive, so each daily row adds up a rowid range of call_groups (found by comparing each row with the
// one before it) instead of sorting call_groups again.
const BUILD_SQL = `
CREATE TABLE ${ROLLUP_SCHEMA}.call_groups AS
  SELECT substr(ts, 1, 10) AS day, kind, request_model, response_model, environment, status, user_id, session_id,
    count(*) AS calls, sum(cost_source = 'unpriced') AS unpriced, min(ts) AS first_ts, max(ts) AS last_ts,
    sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cached_tokens) AS cached_tokens,
    sum(${H1}) AS cost_h1, sum(${H2}) AS cost_h2, sum(${L}) AS cost_l, max(NOT (cost >= 0 AND cost < 4294967296.0)) AS cost_invalid,
    count(latency_ms) AS latencies, group_concat(latency_ms) AS latency_list
  FROM main.events WHERE ${CALLS_SQL}
  GROUP BY ${GROUP_KEY.join(', ')} ORDER BY ${GROUP_KEY.join(', ')};
CREATE TEMP TABLE rollup_ranges (s INTEGER PRIMARY KEY, e INTEGER);
INSERT INTO rollup_ranges (s)
  SELECT g.rowid FROM ${ROLLUP_SCHEMA}.call_groups g LEFT JOIN ${ROLLUP_SCHEMA}.call_groups p ON p.rowid = g.rowid - 1
  WHERE p.rowid IS NULL OR NOT (${DAILY_KEY.map((c) => `p.${c} IS g.${c}`).join(' AND ')});
UPDATE rollup_ranges SET e = coalesce((SELECT min(x.s) FROM rollup_ranges x WHERE x.s > rollup_ranges.s) - 1, (SELECT max(rowid) FROM ${ROLLUP_SCHEMA}.call_groups));
CREATE TABLE ${ROLLUP_SCHEMA}.calls_daily AS
  SELECT ${DAILY_KEY.map((c) => `g.${c} AS ${c}`).join(', ')},
    sum(g.calls) AS calls, sum(g.unpriced) AS unpriced, min(g.first_ts) AS first_ts, max(g.last_ts) AS last_ts,
    sum(g.input_tokens) AS input_tokens, sum(g.output_tokens) AS output_tokens, sum(g.cached_tokens) AS cached_tokens,
    sum(g.cost_h1) AS cost_h1, sum(g.cost_h2) AS cost_h2, sum(g.cost_l) AS cost_l, max(g.cost_invalid) AS cost_invalid,
    sum(g.latencies) AS latencies, group_concat(g.latency_list) AS latency_list
  FROM rollup_ranges r JOIN ${ROLLUP_SCHEMA}.call_groups g ON g.rowid BETWEEN r.s AND r.e
  GROUP BY r.s ORDER BY r.s;
DROP TABLE temp.rollup_ranges;
CREATE TABLE ${ROLLUP_SCHEMA}.top_sessions (rank INTEGER PRIMARY KEY, session_id TEXT, cost REAL, calls INTEGER);
INSERT INTO ${ROLLUP_SCHEMA}.top_sessions (session_id, cost, calls)
  SELECT session_id, coalesce(${costSql('sum(cost_h1)', 'sum(cost_h2)', 'sum(cost_l)')}, 0) AS c, sum(calls)
  FROM ${ROLLUP_SCHEMA}.call_groups WHERE session_id IS NOT NULL GROUP BY session_id ORDER BY c DESC, session_id LIMIT ${TOP_N};
CREATE TABLE ${ROLLUP_SCHEMA}.top_users (rank INTEGER PRIMARY KEY, user_id TEXT, cost REAL, calls INTEGER);
INSERT INTO ${ROLLUP_SCHEMA}.top_users (user_id, cost, calls)
  SELECT user_id, coalesce(${costSql('sum(cost_h1)', 'sum(cost_h2)', 'sum(cost_l)')}, 0) AS c, sum(calls)
  FROM ${ROLLUP_SCHEMA}.call_groups WHERE user_id IS NOT NULL GROUP BY user_id ORDER BY c DESC, user_id LIMIT ${TOP_N};
CREATE TABLE ${ROLLUP_SCHEMA}.latency (model TEXT PRIMARY KEY, calls INTEGER, p50 REAL, p95 REAL, p99 REAL);
`;

/** Page cache during the build, KiB (see buildRollups). */
const SORT_CACHE_KIB = 262144;

const TABLES = ['call_groups', 'calls_daily', 'top_sessions', 'top_users', 'latency'];

/** Why the built tables cannot stand in for the scans, or '' when they can. */
function invalidReason(db: Database): string {
  const [calls, costInvalid, h1, realTokens] = db.exec(
    `SELECT coalesce(sum(calls), 0), max(cost_invalid), sum(cost_h1),
            coalesce(max(typeof(input_tokens) NOT IN ('integer', 'null') OR typeof(output_tokens) NOT IN ('integer', 'null') OR typeof(cached_tokens) NOT IN ('integer', 'null')), 0)
     FROM ${ROLLUP_SCHEMA}.calls_daily`,
  )[0].values[0];
  if ((calls as number) >= 2 ** 25) return `${calls} calls: more than the exact cost parts allow (2^25)`;
  if (costInvalid === 1) return 'a call has a cost that is negative, 2^32 or more, or not a number';
  if (h1 !== null && !(typeof h1 === 'number' && h1 < 2 ** 32)) return 'the total cost is 2^32 or more';
  if (realTokens === 1) return 'token counts that are not integers';
  return '';
}

/** Percentiles of every call's latency per model, for the unfiltered charts; '' or why the latencies are unusable. */
function buildLatency(db: Database): string {
  const res = db.exec(
    `SELECT ${MODEL_KEY_SQL} AS m, sum(latencies), group_concat(latency_list) FROM ${ROLLUP_SCHEMA}.calls_daily GROUP BY m ORDER BY m`,
  );
  const insert = db.prepare(`INSERT INTO ${ROLLUP_SCHEMA}.latency VALUES (?, ?, ?, ?, ?)`);
  try {
    for (const [model, n, list] of res[0]?.values ?? []) {
      if (n === 0) continue;
      const values = typeof list === 'string' ? parseLatencies(list) : null;
      if (!values || values.length !== n) return `latencies of ${String(model)} that are not finite numbers`;
      const s = latencySummary(values);
      insert.run([model, s.calls, s.p50, s.p95, s.p99]);
    }
    return '';
  } finally {
    insert.free();
  }
}

function dropTables(db: Database): void {
  for (const t of TABLES) db.run(`DROP TABLE IF EXISTS ${ROLLUP_SCHEMA}.${t}`);
  db.run('DROP TABLE IF EXISTS temp.rollup_ranges');
}

/**
 * Builds (or rebuilds) the rollup tables from the events table. Never throws: on any failure the rollups are
 * marked unusable and chartData scans the events instead.
 */
export function buildRollups(db: Database): void {
  const started = performance.now();
  const state: RollupState = { usable: false, reason: '', buildMs: 0, groups: 0, days: 0 };
  try {
    if (db.exec(`SELECT 1 FROM pragma_database_list WHERE name = '${ROLLUP_SCHEMA}'`).length === 0) {
      db.run(`ATTACH DATABASE ':memory:' AS ${ROLLUP_SCHEMA}`);
    } else {
      dropTables(db);
      db.run(`DROP TABLE IF EXISTS ${ROLLUP_SCHEMA}.info`);
    }
    db.run(`CREATE TABLE ${ROLLUP_SCHEMA}.info (key TEXT PRIMARY KEY, value)`);
    // The GROUP BY sorts every call: with the default page cache (2 MB) SQLite's sorter writes sorted runs to
    // temporary files and merges them. A larger cache for the build alone lets it sort in one piece (in memory
    // either way); the setting is put back after.
    const cacheSize = db.exec('PRAGMA main.cache_size')[0]?.values[0]?.[0];
    if (typeof cacheSize === 'number') db.run(`PRAGMA main.cache_size = -${SORT_CACHE_KIB}`);
    try {
      db.run(BUILD_SQL);
      state.reason = invalidReason(db) || buildLatency(db);
    } catch (err) {
      state.reason = `could not be built: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      if (typeof cacheSize === 'number') db.run(`PRAGMA main.cache_size = ${cacheSize}`);
    }
    if (state.reason) {
      dropTables(db);
    } else {
      state.usable = true;
      const [groups, days] = db.exec(`SELECT (SELECT count(*) FROM ${ROLLUP_SCHEMA}.call_groups), (SELECT count(*) FROM ${ROLLUP_SCHEMA}.calls_daily)`)[0].values[0];
      state.groups = groups as number;
      state.days = days as number;
    }
    state.buildMs = Math.round((performance.now() - started) * 10) / 10;
    const info = db.prepare(`INSERT INTO ${ROLLUP_SCHEMA}.info VALUES (?, ?)`);
    try {
      for (const [k, v] of [['version', ROLLUP_VERSION], ['usable', state.usable ? 1 : 0], ['reason', state.reason], ['build_ms', state.buildMs]] as const) info.run([k, v]);
    } finally {
      info.free();
    }
  } catch (err) {
    // Not even the attached database: nothing to use.
    state.usable = false;
    state.reason ||= `could not be attached: ${err instanceof Error ? err.message : String(err)}`;
  }
  states.set(db, state);
}

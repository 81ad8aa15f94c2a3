#!/usr/bin/env node
// One measurement, in a process of its own so its peak RSS is its own: `node bench/measure.mjs MODE FILE [META]`.
// Prints one JSON line (the last line of stdout). bench/load.mjs runs these one after another on the same file.
//   ours          the extension's path: DbClient -> dist/dbWorker.js (worker_thread, sql.js). Load, then the queries
//                 through `query` requests on the same worker, then the timeline and charts requests the views send.
//   parse         Node reads the file in 16 MiB chunks, splits lines, JSON.parse each: the parse ceiling.
//   duckdb        @duckdb/node-api (bench/duckdb), read_ndjson with explicit columns into an in-memory table, then
//                 the same queries.
//   sqlite3       the sqlite3 CLI (in-memory database): .import of the lines into a view whose INSTEAD OF trigger
//                 inserts the json_extract'ed columns (->>), full prompt and response text included.
//   verify        verifyIntegrity (src/core/integrity/verify.ts) on the file.
//   sha256-lines  SHA-256 of each line's raw bytes (16 MiB reads): what any per-record hash costs at least.
//   sha256-file   SHA-256 of the whole file in one stream (16 MiB reads).
// Environment: BENCH_RUNS (query repetitions, median taken; default 5); BENCH_LOAD_ONLY=1 (ours: the load alone,
// for a CPU profile).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const [mode, file, metaPath] = process.argv.slice(2);
const meta = metaPath ? JSON.parse(fs.readFileSync(metaPath, 'utf8')) : {};
const RUNS = Number(process.env.BENCH_RUNS || 5);
const CHUNK = 16 << 20;
const MB = 1024 * 1024;
const bytes = fs.statSync(file).size;

const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(d)));

/** Peak RSS of this process (worker threads included): sampled every 50 ms, and the kernel's maxRSS. */
function rssSampler() {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
    },
  };
}

async function median(fn, runs = RUNS) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    times.push(performance.now() - t0);
    // A slow query (seconds) is not worth five runs: three give a median as well.
    if (i === 2 && times.every((t) => t > 4000)) break;
  }
  times.sort((a, b) => a - b);
  return { ms: round(times[Math.floor((times.length - 1) / 2)], 2), runs: times.length, result };
}

/** Lines of the file, read in 16 MiB chunks: calls onChunk(buffer, start, end) for each run of whole lines. */
function forEachLineBlock(onBlock) {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK * 2);
  let have = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, have, CHUNK, null);
      if (n === 0) break;
      have += n;
      const end = buf.lastIndexOf(10, have - 1);
      if (end < 0) {
        if (have > CHUNK) throw new Error('a line is longer than 16 MiB');
        continue;
      }
      onBlock(buf, 0, end + 1);
      buf.copy(buf, 0, end + 1, have);
      have -= end + 1;
    }
    if (have > 0) onBlock(buf, 0, have);
  } finally {
    fs.closeSync(fd);
  }
}

// ---------------------------------------------------------------- the queries, side by side
// Ours runs on the events table of src/core/store/eventStore.ts (through `query` requests); DuckDB on the table
// built by duckdbLoad below. Same semantics on both sides except the search, which reads the 400-character
// `preview` column in ours (the store keeps no full prompt text) and the full prompts in DuckDB.
const session = meta.timelineSession ?? null;
const term = meta.searchTerm ?? 'chargeback';
export const QUERIES = {
  timeline: {
    label: "one session's timeline",
    ours: {
      sql: `SELECT rowid, ts, type, kind, request_model, input_tokens, output_tokens, cost, latency_ms, status, preview
            FROM events WHERE session_id = ? ORDER BY ts`,
      params: [session],
    },
    duckdb: `SELECT id, ts, type, model, input_tokens, output_tokens, cost_usd, latency_ms, status, prompt, response
             FROM events WHERE session_id = '${session}' ORDER BY ts`,
  },
  perModelDay: {
    label: 'tokens and cost per model per day',
    // The daily rollup (src/core/store/rollups.ts), as chartData reads it: the model key, the kind filter, and the
    // cost from its three exact parts (sum(cost_h1) + sum(cost_h2) with their two-sum error, plus sum(cost_l)).
    ours: {
      sql: `SELECT day, model, calls, input_tokens, output_tokens, s + (((h1 - (s - (s - h1))) + (h2 - (s - h1))) + l)
            FROM (SELECT day, coalesce(request_model, response_model, '(no model)') AS model, sum(calls) AS calls, sum(input_tokens) AS input_tokens,
                         sum(output_tokens) AS output_tokens, sum(cost_h1) AS h1, sum(cost_h2) AS h2, sum(cost_l) AS l, sum(cost_h1) + sum(cost_h2) AS s
                  FROM rollup.calls_daily WHERE kind = 'llm' GROUP BY day, model)
            ORDER BY day, model`,
    },
    duckdb: `SELECT substr(ts, 1, 10) AS day, model, count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)
             FROM events WHERE type = 'llm.call' GROUP BY day, model ORDER BY day, model`,
  },
  p95: {
    label: 'p95 latency per model',
    // Nearest rank, as src/core/query/explore.ts computes it: the unfiltered charts read the per-model percentiles the
    // rollup build computed over every model call with a latency (the data has LLM calls only).
    ours: {
      sql: 'SELECT model, p95, calls FROM rollup.latency ORDER BY model',
    },
    duckdb: `SELECT model, quantile_disc(latency_ms, 0.95), count(*) FROM events
             WHERE type = 'llm.call' AND latency_ms IS NOT NULL GROUP BY model ORDER BY model`,
  },
  search: {
    label: `substring search "${term}" (ours: preview column, first 400 chars; DuckDB: full prompts)`,
    ours: { sql: 'SELECT count(*) FROM events WHERE instr(preview, ?) > 0', params: [term] },
    duckdb: `SELECT count(*) FROM events WHERE contains(prompt, '${term}')`,
  },
};

/** A short fingerprint of a result, to see that both sides answered the same question. */
function digestRows(rows) {
  const norm = rows.map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
  return { rows: norm.length, first: norm[0] ?? null };
}

// ---------------------------------------------------------------- modes
async function ours() {
  const { DbClient } = require(path.join(root, 'out', 'bench', 'benchApi.js'));
  const client = new DbClient(path.join(root, 'dist', 'dbWorker.js'));
  const h = monitorEventLoopDelay({ resolution: 1 });
  let maxGap = 0;
  let maxGapAt = null; // when the longest gap ended (s after the load request) and how far the load was then
  let last = performance.now();
  let loadStart = null;
  let lastProgress = null;
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last > maxGap && loadStart !== null) {
      maxGap = now - last;
      maxGapAt = { s: round((now - loadStart) / 1000, 2), bytesRead: lastProgress?.bytesRead ?? 0, records: lastProgress?.records ?? 0 };
    }
    last = now;
  }, 5);
  let progressEvents = 0;
  // A second of idle first: how late timers fire on this (shared) machine when nothing runs here.
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 1000));
  idle.disable();
  const rss = rssSampler();
  h.enable();
  const t0 = performance.now();
  loadStart = t0;
  const startUs = Number(process.hrtime.bigint() / 1000n); // same clock as a CPU profile's timestamps
  // As src/host/auditLogDocument.ts asks for it: the first rows arrive in a progress message while the load goes on.
  const summary = await client.request({ kind: 'load', paths: [file], previewRows: 200 }, (p) => {
    progressEvents++;
    lastProgress = p;
  });
  const wall = (performance.now() - t0) / 1000;
  const endUs = Number(process.hrtime.bigint() / 1000n);
  h.disable();
  clearInterval(ticker);
  const peakRss = rss.stop();
  const rssAfterLoad = process.memoryUsage.rss();
  const q = async (sql, params) => (await client.request({ kind: 'query', sql, params })).rows;
  const loadOnly = process.env.BENCH_LOAD_ONLY === '1';
  const dbBytes = (await q('SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()'))[0][0];
  const sqliteVersion = (await q('SELECT sqlite_version()'))[0][0];
  const chunks = (await q('SELECT count(*) FROM chunks'))[0][0];
  const queries = {};
  for (const [name, def] of Object.entries(loadOnly ? {} : QUERIES)) {
    const m = await median(() => q(def.ours.sql, def.ours.params));
    queries[name] = { ms: m.ms, runs: m.runs, ...digestRows(m.result) };
  }
  // What the views send: the timeline's first page (events read back from the export, content included) and the
  // charts view (per-bucket aggregates, top lists, latency percentiles computed in JS from sorted rows).
  const views = {};
  if (!loadOnly) {
    const tl = await median(() => client.request({ kind: 'sessionEvents', sessionId: session, offset: 0, limit: 100 }));
    const charts = await median(() => client.request({ kind: 'charts', filter: {}, stackBy: 'model' }));
    views.sessionEvents = { ms: tl.ms, runs: tl.runs, events: tl.result.events.length, total: tl.result.total };
    views.charts = { ms: charts.ms, runs: charts.runs, series: charts.result.series.length, latencyModels: charts.result.latency.length };
  }
  await client.dispose();
  return {
    records: summary.records,
    events: summary.events,
    skipped: summary.skipped,
    sessions: summary.sessions,
    chunks,
    wallS: round(wall, 2),
    workerElapsedS: round(summary.elapsedMs / 1000, 2),
    recordsPerS: Math.round(summary.records / wall),
    mbPerS: round(bytes / MB / wall),
    peakRssMb: Math.round(peakRss / MB),
    rssAfterLoadMb: Math.round(rssAfterLoad / MB),
    dbMb: round(dbBytes / MB),
    hostLoopDelayMaxMs: round(h.max / 1e6),
    hostLoopDelayP99Ms: round(h.percentile(99) / 1e6),
    hostLongestTimerGapMs: round(maxGap),
    hostLongestTimerGapAt: maxGapAt && { ...maxGapAt, fractionRead: round(maxGapAt.bytesRead / bytes, 3) },
    idleLoopDelayMaxMs: round(idle.max / 1e6),
    progressMessages: progressEvents,
    loadWindowUs: [startUs, endUs],
    sqliteVersion,
    queries,
    views,
  };
}

async function parse() {
  const t0 = performance.now();
  let records = 0;
  let failed = 0;
  forEachLineBlock((buf, start, end) => {
    const text = buf.toString('utf8', start, end);
    let from = 0;
    for (let nl = text.indexOf('\n'); from < text.length; nl = text.indexOf('\n', from)) {
      const stop = nl < 0 ? text.length : nl;
      if (stop > from) {
        try {
          JSON.parse(text.slice(from, stop));
          records++;
        } catch {
          failed++;
        }
      }
      from = stop + 1;
    }
  });
  const wall = (performance.now() - t0) / 1000;
  return { records, failed, wallS: round(wall, 2), recordsPerS: Math.round(records / wall), mbPerS: round(bytes / MB / wall), peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB) };
}

const DUCKDB_COLUMNS = {
  id: 'VARCHAR', seq: 'BIGINT', ts: 'VARCHAR', type: 'VARCHAR', session_id: 'VARCHAR', user_id: 'VARCHAR', environment: 'VARCHAR',
  provider: 'VARCHAR', model: 'VARCHAR', response_model: 'VARCHAR', operation: 'VARCHAR',
  usage: 'STRUCT(input_tokens BIGINT, output_tokens BIGINT, cached_tokens BIGINT, reasoning_tokens BIGINT)',
  cost_usd: 'DOUBLE', latency_ms: 'DOUBLE', status: 'VARCHAR', error: 'STRUCT(type VARCHAR, message VARCHAR)',
  messages: 'STRUCT(role VARCHAR, content VARCHAR)[]', response: 'STRUCT(role VARCHAR, content VARCHAR, finish_reason VARCHAR)',
  retrieval: 'STRUCT(document_id VARCHAR, chunk_id VARCHAR, score DOUBLE, text VARCHAR)[]',
  feedback: 'STRUCT(rating DOUBLE, ts VARCHAR, comment VARCHAR)', resolution: 'VARCHAR', tags: 'VARCHAR[]',
  prev_hash: 'VARCHAR', hash: 'VARCHAR',
};
const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

async function duckdb() {
  const api = path.join(root, 'bench', 'duckdb', 'node_modules', '@duckdb', 'node-api');
  const { DuckDBInstance } = require(api);
  const version = JSON.parse(fs.readFileSync(path.join(api, 'package.json'), 'utf8')).version;
  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const cols = `{${Object.entries(DUCKDB_COLUMNS).map(([k, v]) => `${k}: ${sqlString(v)}`).join(', ')}}`;
  const rss = rssSampler();
  const t0 = performance.now();
  // The metadata our store keeps, plus the full last prompt and the response (the store reads those back from the
  // export instead), the retrieved chunks' ids and scores, and the hashes.
  await c.run(`CREATE TABLE events AS SELECT id, seq, ts, type, session_id, user_id, environment, provider, model, response_model, operation,
      usage.input_tokens AS input_tokens, usage.output_tokens AS output_tokens, usage.cached_tokens AS cached_tokens, usage.reasoning_tokens AS reasoning_tokens,
      cost_usd, latency_ms, status, error.type AS error_type, error.message AS error_message, feedback.rating AS feedback_rating, resolution, tags,
      messages[-1].content AS prompt, response.content AS response, len(messages) AS message_count,
      [{'document_id': r.document_id, 'chunk_id': r.chunk_id, 'score': r.score} FOR r IN retrieval] AS chunks, prev_hash, hash
    FROM read_ndjson(${sqlString(file)}, columns = ${cols})`);
  const wall = (performance.now() - t0) / 1000;
  const peakRss = rss.stop();
  const rows = async (sql) => (await c.runAndReadAll(sql)).getRows();
  const records = Number((await rows('SELECT count(*) FROM events'))[0][0]);
  const threads = Number((await rows("SELECT current_setting('threads')"))[0][0]);
  const dbMb = (await rows('SELECT memory_usage_bytes FROM duckdb_memory() WHERE tag = \'IN_MEMORY_TABLE\''))[0]?.[0];
  const queries = {};
  for (const [name, def] of Object.entries(QUERIES)) {
    const m = await median(() => rows(def.duckdb));
    queries[name] = { ms: m.ms, runs: m.runs, ...digestRows(m.result) };
  }
  return {
    version, threads, records, wallS: round(wall, 2), recordsPerS: Math.round(records / wall), mbPerS: round(bytes / MB / wall),
    peakRssMb: Math.round(peakRss / MB), tableMb: dbMb === undefined ? null : round(Number(dbMb) / MB), queries,
  };
}

function sqlite3Cli() {
  const script = `
CREATE TABLE events (id TEXT, seq INTEGER, ts TEXT, type TEXT, session_id TEXT, user_id TEXT, environment TEXT, provider TEXT, model TEXT,
  response_model TEXT, input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL, latency_ms REAL, status TEXT,
  prompt TEXT, response TEXT, chunk_count INTEGER, prev_hash TEXT, hash TEXT);
CREATE VIEW raw(j) AS SELECT NULL;
CREATE TRIGGER raw_insert INSTEAD OF INSERT ON raw BEGIN
  INSERT INTO events VALUES (NEW.j->>'$.id', NEW.j->>'$.seq', NEW.j->>'$.ts', NEW.j->>'$.type', NEW.j->>'$.session_id', NEW.j->>'$.user_id',
    NEW.j->>'$.environment', NEW.j->>'$.provider', NEW.j->>'$.model', NEW.j->>'$.response_model', NEW.j->>'$.usage.input_tokens',
    NEW.j->>'$.usage.output_tokens', NEW.j->>'$.usage.cached_tokens', NEW.j->>'$.cost_usd', NEW.j->>'$.latency_ms', NEW.j->>'$.status',
    NEW.j->>'$.messages[#-1].content', NEW.j->>'$.response.content', json_array_length(NEW.j, '$.retrieval'), NEW.j->>'$.prev_hash', NEW.j->>'$.hash');
END;
.mode ascii
.separator "\\037" "\\n"
.import ${file} raw
.mode list
SELECT count(*) FROM events;
SELECT sqlite_version();
`;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn('sqlite3', [], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let hwm = 0;
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) hwm = Math.max(hwm, Number(m[1]) * 1024);
      } catch {
        /* exited */
      }
    }, 50);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => {
      clearInterval(poll);
      resolve({ skipped: `sqlite3 could not run: ${e.message}` });
    });
    child.on('close', (code) => {
      clearInterval(poll);
      const wall = (performance.now() - t0) / 1000;
      const lines = out.trim().split('\n');
      const records = Number(lines[0]);
      if (code !== 0 || !Number.isFinite(records)) return resolve({ skipped: `sqlite3 failed (exit ${code}): ${err.trim().slice(0, 300)}` });
      resolve({ version: lines[1], records, wallS: round(wall, 2), recordsPerS: Math.round(records / wall), mbPerS: round(bytes / MB / wall), peakRssMb: Math.round(hwm / MB) });
    });
    child.stdin.end(script);
  });
}

async function verify() {
  const { verifyIntegrity } = require(path.join(root, 'out', 'bench', 'benchApi.js'));
  const t0 = performance.now();
  const report = await verifyIntegrity(file);
  const wall = (performance.now() - t0) / 1000;
  const records = report.records.chain;
  return {
    verdict: report.verdict, profile: report.profile?.name ?? null, findings: report.counts.findings, records,
    wallS: round(wall, 2), recordsPerS: Math.round(records / wall), mbPerS: round(bytes / MB / wall), peakRssMb: Math.round((process.resourceUsage().maxRSS * 1024) / MB),
  };
}

function sha256Lines() {
  const t0 = performance.now();
  let records = 0;
  forEachLineBlock((buf, start, end) => {
    let from = start;
    for (let nl = buf.indexOf(10, from); from < end; nl = buf.indexOf(10, from)) {
      const stop = nl < 0 || nl >= end ? end : nl;
      if (stop > from) {
        createHash('sha256').update(buf.subarray(from, stop)).digest();
        records++;
      }
      from = stop + 1;
    }
  });
  const wall = (performance.now() - t0) / 1000;
  return { records, wallS: round(wall, 2), recordsPerS: Math.round(records / wall), mbPerS: round(bytes / MB / wall) };
}

function sha256File() {
  const t0 = performance.now();
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  for (let n; (n = fs.readSync(fd, buf, 0, CHUNK, null)) > 0; ) h.update(buf.subarray(0, n));
  fs.closeSync(fd);
  h.digest();
  const wall = (performance.now() - t0) / 1000;
  return { wallS: round(wall, 2), mbPerS: round(bytes / MB / wall) };
}

const MODES = { ours, parse, duckdb, sqlite3: sqlite3Cli, verify, 'sha256-lines': sha256Lines, 'sha256-file': sha256File };
if (!MODES[mode]) {
  console.error(`usage: node bench/measure.mjs ${Object.keys(MODES).join('|')} FILE [META]`);
  process.exit(2);
}
const result = await MODES[mode]();
console.log(JSON.stringify({ mode, bytes, ...result }));
process.exit(0);

#!/usr/bin/env node
// `npm run bench` (builds, then runs this; not part of npm test). For each size it generates (or reuses) a seeded
// export in the project's own format, then measures on that same file, each in a process of its own
// (bench/measure.mjs):
//   load      ours (DbClient -> dist/dbWorker.js -> sql.js, the extension's path) next to the Node parse ceiling,
//             DuckDB (read_ndjson, explicit columns) and the sqlite3 CLI (json_extract trigger): wall time,
//             records/s, MB/s, peak RSS, and the calling thread's event-loop delay while ours loads;
//   queries   a session's timeline, tokens and cost per model per day, p95 latency per model, a substring search:
//             ours through `query` requests on the same worker, next to DuckDB on the same data (median of runs);
//   integrity verifyIntegrity on the file next to raw SHA-256 (each line's bytes; the whole file in one stream).
// Prints a table per size with ratios (ours / reference) and writes bench/results.json with the targets met or not.
// Environment:
//   BENCH_SIZES=10000,100000,1000000 (default all three; 1M takes minutes and ~3.4 GB of disk)
//   BENCH_SEED=20261122   BENCH_CACHE=dir (default $TMPDIR/auditlens-bench-cache; files are reused across runs)
//   BENCH_RUNS=5 (query repetitions)   BENCH_SKIP=sqlite3,duckdb,verify,parse (leave measurements out)
//   BENCH_PROFILE=100000 (also profile ours at that size with --cpu-prof and list the top self-time functions)
//   BENCH_NO_INSTALL=1 (never run npm ci / apt-get; skip what is missing)   BENCH_OUT=path (instead of bench/results.json)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GENERATOR_VERSION } from './generate.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bench = path.join(root, 'bench');
const sizes = (process.env.BENCH_SIZES || '10000,100000,1000000').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const seed = Number(process.env.BENCH_SEED || 20261122);
const cache = process.env.BENCH_CACHE || path.join(os.tmpdir(), 'auditlens-bench-cache');
const skip = new Set((process.env.BENCH_SKIP || '').split(',').map((s) => s.trim()).filter(Boolean));
const profileSizes = new Set((process.env.BENCH_PROFILE || '').split(',').map(Number).filter((n) => n > 0));
const noInstall = process.env.BENCH_NO_INSTALL === '1';
const notes = [];
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

for (const f of ['dist/dbWorker.js', 'dist/sql-wasm.wasm', 'out/bench/benchApi.js']) {
  if (!fs.existsSync(path.join(root, f))) {
    console.error(`${f} is missing: run \`npm run bench\` (it builds first) or \`node esbuild.mjs\``);
    process.exit(2);
  }
}
fs.mkdirSync(cache, { recursive: true });

// ---------------------------------------------------------------- references: DuckDB, sqlite3
function ensureDuckdb() {
  if (skip.has('duckdb')) return false;
  if (fs.existsSync(path.join(bench, 'duckdb', 'node_modules', '@duckdb', 'node-api', 'package.json'))) return true;
  if (noInstall) {
    notes.push('DuckDB skipped: bench/duckdb/node_modules is missing (BENCH_NO_INSTALL=1).');
    return false;
  }
  log('installing DuckDB into bench/duckdb (npm ci)…');
  const r = spawnSync('npm', ['ci', '--prefix', path.join(bench, 'duckdb'), '--no-audit', '--no-fund'], { encoding: 'utf8' });
  if (r.status === 0) return true;
  notes.push(`DuckDB skipped: npm ci --prefix bench/duckdb failed: ${(r.stderr || r.error?.message || '').trim().slice(-300)}`);
  return false;
}

function sqlite3Version() {
  const r = spawnSync('sqlite3', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(' ')[0] : null;
}

function ensureSqlite3() {
  if (skip.has('sqlite3')) return null;
  let v = sqlite3Version();
  if (v || noInstall) {
    if (!v) notes.push('sqlite3 CLI skipped: not installed (BENCH_NO_INSTALL=1).');
    return v;
  }
  log('sqlite3 CLI missing: apt-get install -y sqlite3…');
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', 'sqlite3'], { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  let r = install();
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8' });
    r = install();
  }
  v = sqlite3Version();
  if (!v) notes.push(`sqlite3 CLI skipped: it is not installed and apt-get could not install it (${(r.stderr || r.error?.message || '').trim().slice(-200)}).`);
  return v;
}

// ---------------------------------------------------------------- data
function freeBytes(dir) {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function exportFor(n) {
  const file = path.join(cache, `auditlens-${n}-s${seed}-g${GENERATOR_VERSION}.audit.jsonl`);
  const metaPath = `${file}.meta.json`;
  if (fs.existsSync(file) && fs.existsSync(metaPath)) return { file, metaPath, meta: JSON.parse(fs.readFileSync(metaPath, 'utf8')), generated: false };
  const need = n * 3600 * 1.1;
  if (freeBytes(cache) < need) {
    notes.push(`${n} records skipped: ${cache} has ${(freeBytes(cache) / 2 ** 30).toFixed(1)} GiB free, the export needs ~${(need / 2 ** 30).toFixed(1)} GiB.`);
    return null;
  }
  log(`generating ${n} records (seed ${seed}) into ${file}…`);
  const t0 = performance.now();
  // A child process: generating does not count in any measured process, and its memory is gone after.
  execFileSync(process.execPath, [path.join(bench, 'generate.mjs'), String(n), String(seed), file], { stdio: ['ignore', 'ignore', 'inherit'] });
  log(`  ${(fs.statSync(file).size / 2 ** 20).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { file, metaPath, meta: JSON.parse(fs.readFileSync(metaPath, 'utf8')), generated: true };
}

function measure(mode, exp, extraArgs = [], env = {}) {
  log(`  ${mode}…`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [...extraArgs, path.join(bench, 'measure.mjs'), mode, exp.file, exp.metaPath], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  const lines = (r.stdout || '').trim().split('\n');
  try {
    const out = JSON.parse(lines[lines.length - 1]);
    log(`    ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return out;
  } catch {
    const why = `${mode} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${(r.stderr || '').trim().split('\n').slice(-4).join(' | ').slice(0, 500)}`;
    log(`    ${why}`);
    return { error: why };
  }
}

// ---------------------------------------------------------------- CPU profile of our load (optional)
/** Which module of a bundle each line belongs to, from esbuild's `// path` markers. */
function bundleModules(file) {
  const marks = [];
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
    const m = /^\/\/ ((?:node_modules|src)\/\S+)$/.exec(line);
    if (m) marks.push({ line: i + 1, module: m[1].replace(/^node_modules\//, '') });
  });
  return marks;
}

/** Names for sql.js's minified helpers, recognised by their code (line numbers move with every build). */
function sqljsHelper(lines, line) {
  const text = lines.slice(line - 1, line + 14).join('\n');
  if (/codePointAt[\s\S]*b\+\+/.test(text) && !/b\[d\+\+\]/.test(text)) return 'lengthBytesUTF8 (sql.js: UTF-8 length of a JS string)';
  if (/codePointAt[\s\S]*b\[d\+\+\] = m/.test(text)) return 'stringToUTF8Array (sql.js: copies a JS string into WASM memory)';
  if (/^\s*\}, \w+ = \(a\) => \{\s*\n\s*var b = \w+\(a\) \+ 1, d = \w+\(b\);/.test(text)) return 'allocateUTF8 (sql.js: malloc + copy for each bound string)';
  if (/write\(a, b, d, c, e, g\)[\s\S]*new Uint8Array\(g\)/.test(text)) return 'MEMFS write (sql.js: the in-memory database file, grows by copying)';
  if (/^\s*c\.prototype\.run = /.test(lines[line - 1] ?? '')) return 'Statement.run (sql.js)';
  if (/^\s*c\.prototype\.bind = /.test(lines[line - 1] ?? '')) return 'Statement.bind (sql.js; the bind* helpers it calls are inlined here)';
  const method = /^\s*c\.prototype\.\w+ = function/.test(lines[line - 1] ?? '') ? lines.slice(line - 1, line + 5).join('\n') : '';
  if (/= fa\(f\)/.test(method)) return 'Statement.bindString (sql.js: UTF-8 length + malloc + copy per string)';
  if (/for \(var h = 0; h < f\.length; h \+= 1\) this\.\w+\(f\[h\], h \+ 1\)/.test(method)) return 'Statement.bindFromArray (sql.js)';
  if (/switch \(typeof f\)/.test(method)) return 'Statement.bindValue (sql.js)';
  if (/freemem\(\)[\s\S]*=== 0 &&/.test(method)) return 'Statement.reset (sql.js)';
  return null;
}

function summarizeProfile(file, window = null, top = 15) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const bundles = new Map();
  const moduleOf = (url, line) => {
    if (!bundles.has(url)) {
      const f = url.replace(/^file:\/\//, '');
      bundles.set(url, fs.existsSync(f) ? { marks: bundleModules(f), lines: fs.readFileSync(f, 'utf8').split('\n') } : null);
    }
    const b = bundles.get(url);
    if (!b) return { module: path.basename(url), helper: null };
    let module = path.basename(url);
    for (const m of b.marks) if (m.line <= line) module = m.module;
    return { module, helper: module.startsWith('sql.js/') ? sqljsHelper(b.lines, line) : null };
  };
  const self = new Map();
  const modules = new Map();
  let total = 0;
  let idle = 0;
  // The longest stretch of consecutive busy samples: how long this thread ran without returning to its event loop
  // (for the host thread, the real stall our code causes, whatever the scheduler adds on a busy machine).
  let stretch = 0;
  let longest = 0;
  let longestInWindow = 0;
  let at = p.startTime;
  p.samples.forEach((id, i) => {
    const n = byId.get(id);
    const dt = p.timeDeltas[i] || 0;
    at += dt;
    const name = n.callFrame.functionName || '(anonymous)';
    if (name === '(idle)') {
      idle += dt;
      stretch = 0;
      return;
    }
    stretch += dt;
    longest = Math.max(longest, stretch);
    if (window && at >= window[0] && at <= window[1]) longestInWindow = Math.max(longestInWindow, stretch);
    const url = n.callFrame.url || '';
    const line = n.callFrame.lineNumber + 1;
    let key;
    let module;
    if (/^wasm-function|^\$/.test(name) || url.startsWith('wasm://')) {
      key = `${name} (WASM)`;
      module = 'SQLite in WASM (sql.js)';
    } else if (url.endsWith('.js') && url.startsWith('file://')) {
      const m = moduleOf(url, line);
      module = m.module;
      key = m.helper ? `${m.helper}` : `${name} (${m.module})`;
    } else {
      key = url ? `${name} (${url.replace(/^node:/, 'node:')}:${line})` : name;
      module = url.startsWith('node:') ? 'Node internals' : name;
    }
    self.set(key, (self.get(key) || 0) + dt);
    modules.set(module, (modules.get(module) || 0) + dt);
    total += dt;
  });
  const pct = (v) => Math.round((1000 * v) / (total || 1)) / 10;
  return {
    busyMs: Math.round(total / 1000),
    idleMs: Math.round(idle / 1000),
    longestBusyStretchMs: Math.round(longest / 1000),
    longestBusyStretchDuringLoadMs: window && window[0] >= p.startTime && window[1] <= p.endTime ? Math.round(longestInWindow / 1000) : null,
    byModule: [...modules.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([k, v]) => ({ module: k, selfMs: Math.round(v / 1000), pct: pct(v) })),
    top: [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => ({ fn: k, selfMs: Math.round(v / 1000), pct: pct(v) })),
  };
}

function profileRun(mode, exp) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-bench-prof-'));
  try {
    const r = measure(mode, exp, ['--cpu-prof', `--cpu-prof-dir=${dir}`], { BENCH_LOAD_ONLY: '1' });
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    // One profile per thread (file names end in .PID.THREAD.SEQ.cpuprofile; thread 0 is the main thread).
    const summaries = files.map((f) => {
      const main = /\.(\d+)\.\d+\.cpuprofile$/.exec(f)?.[1] === '0';
      const thread = mode === 'ours' ? (main ? 'host (main thread)' : 'database worker') : main ? 'main thread' : 'worker';
      return { thread, ...summarizeProfile(path.join(dir, f), r.loadWindowUs ?? null) };
    });
    summaries.sort((a, b) => b.busyMs - a.busyMs);
    return { mode, note: 'a separate run under --cpu-prof (slower than the timed one); self time per function', wallS: r.wallS, threads: summaries };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- targets and output
const ok = (x) => x && !x.error && !x.skipped;
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? Number((a / b).toFixed(2)) : null);

function targetsFor(r) {
  const t = [];
  const add = (target, value, limit, cmp, unit = '×', context = '') =>
    t.push({ target, size: r.size, value, limit: `${cmp} ${limit}${unit === '×' ? '×' : ` ${unit}`}`, met: value === null ? null : cmp === '≤' ? value <= limit : value >= limit, context });
  // What the single-threaded JSON.parse ceiling alone scores against the same reference: a target below it cannot be
  // met by any design that parses every record with JSON.parse on one thread.
  const parseVsDuck = ok(r.parse) && ok(r.duckdb) ? ratio(r.parse.wallS, r.duckdb.wallS) : null;
  const parseVsSha = ok(r.parse) && ok(r.sha256Lines) ? ratio(r.parse.mbPerS, r.sha256Lines.mbPerS) : null;
  const o = r.ours;
  if (r.size >= 100000) add('load ≤ 1.0× DuckDB', ok(o) && ok(r.duckdb) ? ratio(o.wallS, r.duckdb.wallS) : null, 1.0, '≤', '×', parseVsDuck === null ? '' : `JSON.parse ceiling alone: ${parseVsDuck}× DuckDB`);
  if (r.size === 100000) add('peak RSS ≤ 250 MB (100k)', ok(o) ? o.peakRssMb : null, 250, '≤', 'MB');
  add('event-loop stall ≤ 50 ms (calling thread, max)', ok(o) ? o.hostLoopDelayMaxMs : null, 50, '≤', 'ms', ok(o) ? `idle baseline ${o.idleLoopDelayMaxMs} ms, p99 ${o.hostLoopDelayP99Ms} ms` : '');
  const host = r.profile?.threads.find((th) => th.thread.startsWith('host'));
  if (typeof host?.longestBusyStretchDuringLoadMs === 'number') {
    add('event-loop stall ≤ 50 ms: the calling thread\'s longest busy stretch in the load (CPU profile)', host.longestBusyStretchDuringLoadMs, 50, '≤', 'ms', 'what our code blocks, without the scheduler\'s delays');
  }
  if (r.size >= 1000000) {
    for (const [k, label, limit] of [['timeline', 'timeline', 1.0], ['perModelDay', 'chart aggregates (per model per day)', 1.0], ['p95', 'percentiles (p95 per model)', 1.0], ['search', 'substring search', 2.0]]) {
      add(`query ${label} ≤ ${limit.toFixed(1)}× DuckDB (1M)`, ok(o) && ok(r.duckdb) && o.queries[k] && r.duckdb.queries[k] ? ratio(o.queries[k].ms, r.duckdb.queries[k].ms) : null, limit, '≤');
    }
  }
  add('verify ≥ 50% of raw SHA-256 (per line)', ok(r.verify) && ok(r.sha256Lines) ? ratio(r.verify.mbPerS, r.sha256Lines.mbPerS) : null, 0.5, '≥', '×', parseVsSha === null ? '' : `JSON.parse ceiling alone: ${parseVsSha}×`);
  return t;
}

function table(head, rows) {
  const w = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c ?? '').padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
const fmt = (x, d = 2) => (x === null || x === undefined ? '—' : typeof x === 'number' ? (Math.abs(x) >= 100 ? Math.round(x).toLocaleString('en-US') : x.toFixed(d)) : String(x));
const x = (v) => (v === null ? '—' : `${v.toFixed(2)}×`);

function printSize(r) {
  const o = r.ours;
  const out = [];
  out.push(`\n## ${r.size.toLocaleString('en-US')} records, ${(r.bytes / 2 ** 20).toFixed(0)} MiB (${Math.round(r.bytes / r.size)} B/record)`);
  const loadRow = (name, m, extra = '') =>
    ok(m) ? [name, fmt(m.wallS), fmt(m.recordsPerS, 0), fmt(m.mbPerS, 1), fmt(m.peakRssMb, 0), name === 'ours' ? '1.00×' : x(ratio(o?.wallS, m.wallS)), extra] : [name, m?.error || m?.skipped || 'not run', '', '', '', '', ''];
  out.push('\nLoad');
  out.push(
    table(['path', 'wall s', 'records/s', 'MB/s', 'peak RSS MB', 'ours ÷ this (time)', 'notes'], [
      loadRow('ours', o, ok(o) ? `DbClient→worker→sql.js; DB ${fmt(o.dbMb, 0)} MB; RSS after ${o.rssAfterLoadMb} MB` : ''),
      loadRow('Node parse ceiling', r.parse, '16 MiB reads, split, JSON.parse'),
      loadRow('DuckDB', r.duckdb, ok(r.duckdb) ? `read_ndjson, explicit columns, ${r.duckdb.threads} threads, full prompt+response` : ''),
      loadRow('sqlite3 CLI', r.sqlite3, ok(r.sqlite3) ? `${r.sqlite3.version}, .import + ->> trigger, in memory, full text` : ''),
    ]),
  );
  if (ok(o)) {
    out.push(`\nCalling thread during our load: event-loop delay max ${fmt(o.hostLoopDelayMaxMs, 1)} ms, p99 ${fmt(o.hostLoopDelayP99Ms, 1)} ms, longest 5 ms-timer gap ${fmt(o.hostLongestTimerGapMs, 1)} ms (idle baseline before the load: max ${fmt(o.idleLoopDelayMaxMs, 1)} ms)`);
    out.push('\nQueries (median ms)');
    const qrows = Object.keys(o.queries).map((k) => {
      const d = r.duckdb?.queries?.[k];
      const mine = o.queries[k];
      let match = '';
      if (d && k === 'timeline') match = `${mine.rows} events; DuckDB ${d.rows}`;
      else if (d && k === 'search') match = `${mine.first?.[0]} matches in previews; DuckDB ${d.first?.[0]} in prompts`;
      else if (d) match = JSON.stringify(d.first) === JSON.stringify(mine.first) && d.rows === mine.rows ? 'same result' : `differs: ours ${mine.rows} rows ${JSON.stringify(mine.first)}; DuckDB ${d.rows} rows ${JSON.stringify(d.first)}`;
      const label = { timeline: "one session's timeline", perModelDay: 'tokens + cost per model per day', p95: 'p95 latency per model', search: 'substring search (ours: preview col; DuckDB: prompts)' }[k];
      return [label, fmt(mine.ms), d ? fmt(d.ms) : '—', x(d ? ratio(mine.ms, d.ms) : null), match.slice(0, 120)];
    });
    if (o.views?.sessionEvents) qrows.push(['view: timeline page (sessionEvents, content read back)', fmt(o.views.sessionEvents.ms), r.duckdb?.queries?.timeline ? fmt(r.duckdb.queries.timeline.ms) : '—', x(ratio(o.views.sessionEvents.ms, r.duckdb?.queries?.timeline?.ms)), `${o.views.sessionEvents.events} events with content`]);
    if (o.views?.charts) qrows.push(['view: charts request (all series + latency)', fmt(o.views.charts.ms), '—', '—', 'per-bucket sums, top lists, p50/p95/p99 in JS']);
    out.push(table(['query', 'ours', 'DuckDB', 'ratio', 'result check'], qrows));
    if (r.meta?.promptsWithTerm !== undefined) out.push(`(search term "${r.meta.searchTerm}": in ${r.meta.promptsWithTerm} prompts, ${r.meta.promptsWithTermInFirst400} of them within the first 400 characters that ours keeps)`);
  }
  if (ok(r.verify)) {
    out.push('\nIntegrity');
    out.push(
      table(['what', 'wall s', 'records/s', 'MB/s', 'verify ÷ this (throughput)'], [
        ['verifyIntegrity', fmt(r.verify.wallS), fmt(r.verify.recordsPerS, 0), fmt(r.verify.mbPerS, 1), `${r.verify.verdict}, ${r.verify.profile}`],
        ['raw SHA-256, each line', ok(r.sha256Lines) ? fmt(r.sha256Lines.wallS) : '—', ok(r.sha256Lines) ? fmt(r.sha256Lines.recordsPerS, 0) : '—', ok(r.sha256Lines) ? fmt(r.sha256Lines.mbPerS, 1) : '—', x(ok(r.sha256Lines) ? ratio(r.verify.mbPerS, r.sha256Lines.mbPerS) : null)],
        ['raw SHA-256, whole file', ok(r.sha256File) ? fmt(r.sha256File.wallS) : '—', '', ok(r.sha256File) ? fmt(r.sha256File.mbPerS, 1) : '—', x(ok(r.sha256File) ? ratio(r.verify.mbPerS, r.sha256File.mbPerS) : null)],
      ]),
    );
  } else if (r.verify) out.push(`\nIntegrity: ${r.verify.error}`);
  const t = targetsFor(r);
  out.push('\nTargets');
  out.push(table(['target', 'value', 'limit', 'met', 'context'], t.map((g) => [g.target, g.value === null ? '—' : g.value, g.limit, g.met === null ? 'not measured' : g.met ? 'met' : 'NOT met', g.context])));
  for (const [prof, what] of [[r.profile, 'our load'], [r.profileVerify, 'verifyIntegrity']]) {
    if (!prof) continue;
    out.push(`\nCPU profile of ${what} (${prof.note}; wall ${prof.wallS} s under the profiler)`);
    for (const th of prof.threads) {
      if (th.busyMs < 200) {
        out.push(`${th.thread}: busy ${th.busyMs} ms, idle ${th.idleMs} ms, longest busy stretch ${th.longestBusyStretchMs} ms${th.longestBusyStretchDuringLoadMs !== null ? ` (during the load: ${th.longestBusyStretchDuringLoadMs} ms)` : ''}`);
        continue;
      }
      out.push(`${th.thread}: busy ${th.busyMs} ms, idle ${th.idleMs} ms. By module: ${th.byModule.map((m) => `${m.module} ${m.pct}%`).join(', ')}`);
      out.push(table(['function (self time)', 'ms', '%'], th.top.slice(0, 15).map((f) => [f.fn.slice(0, 90), f.selfMs, f.pct])));
    }
  }
  console.log(out.join('\n'));
}

function npmVersion(dir, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- run
const duckdbOk = ensureDuckdb();
const sqliteCli = ensureSqlite3();
const results = [];
const started = performance.now();
for (const n of sizes) {
  const exp = exportFor(n);
  if (!exp) continue;
  log(`${n} records: ${exp.file}`);
  const r = { size: n, file: exp.file, bytes: fs.statSync(exp.file).size, meta: exp.meta };
  if (!skip.has('parse')) r.parse = measure('parse', exp);
  r.ours = measure('ours', exp);
  if (duckdbOk) r.duckdb = measure('duckdb', exp);
  if (sqliteCli) r.sqlite3 = measure('sqlite3', exp);
  if (!skip.has('verify')) {
    r.sha256Lines = measure('sha256-lines', exp);
    r.sha256File = measure('sha256-file', exp);
    r.verify = measure('verify', exp);
  }
  if (profileSizes.has(n)) {
    r.profile = profileRun('ours', exp);
    if (!skip.has('verify')) r.profileVerify = profileRun('verify', exp);
  }
  results.push(r);
  printSize(r);
}

const cpus = os.cpus();
const out = {
  when: new Date().toISOString(),
  totalSeconds: Math.round((performance.now() - started) / 1000),
  machine: {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  versions: {
    sqljs: npmVersion(root, 'sql.js'),
    sqljsSqlite: results.find((r) => ok(r.ours))?.ours.sqliteVersion ?? null,
    duckdb: npmVersion(path.join(bench, 'duckdb'), '@duckdb/node-api'),
    sqlite3Cli: sqliteCli,
  },
  settings: { sizes, seed, cache, runs: Number(process.env.BENCH_RUNS || 5), skipped: [...skip] },
  notes,
  targets: results.flatMap(targetsFor),
  results,
};
const resultsPath = process.env.BENCH_OUT || path.join(bench, 'results.json');
fs.writeFileSync(resultsPath, JSON.stringify(out, null, 2) + '\n');
if (notes.length) console.log(`\nNotes:\n${notes.map((n) => `- ${n}`).join('\n')}`);
console.log(`\nwrote ${path.relative(process.cwd(), resultsPath) || resultsPath} (${out.totalSeconds} s)`);

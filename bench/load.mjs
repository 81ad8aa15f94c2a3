#!/usr/bin/env node
// `npm run bench` (not part of npm test): loads generated exports through the very path the extension uses
// (DbClient -> database worker -> sql.js store) and measures wall time, records/s, MB/s, peak RSS of the process
// (the worker thread included) and the calling thread's event-loop delay while it loads.
// Sizes: BENCH_SIZES=10000,100000 (default 10k and 100k). Results: bench/results.json.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);
const { DbClient } = require(path.join(root, 'out', 'bench', 'benchApi.js'));

const sizes = (process.env.BENCH_SIZES || '10000,100000').split(',').map(Number);
const dir = process.env.BENCH_DIR || path.join(os.tmpdir(), 'auditlens-bench');
fs.mkdirSync(dir, { recursive: true });

async function measure(file) {
  const client = new DbClient(path.join(root, 'dist', 'dbWorker.js'));
  const h = monitorEventLoopDelay({ resolution: 10 });
  let maxGap = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - last);
    last = now;
  }, 5);
  h.enable();
  const t0 = performance.now();
  const summary = await client.request({ kind: 'load', paths: [file] });
  const wall = (performance.now() - t0) / 1000;
  h.disable();
  clearInterval(ticker);
  const t1 = performance.now();
  await client.request({ kind: 'query', sql: "SELECT * FROM events WHERE session_id = (SELECT id FROM sessions LIMIT 1 OFFSET 7) ORDER BY ts" });
  const sessionMs = performance.now() - t1;
  await client.dispose();
  const mb = summary.bytes / 1024 / 1024;
  return {
    records: summary.records,
    events: summary.events,
    skipped: summary.skipped,
    mb: Number(mb.toFixed(1)),
    wallS: Number(wall.toFixed(2)),
    recordsPerS: Math.round(summary.records / wall),
    mbPerS: Number((mb / wall).toFixed(1)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    hostLoopDelayMaxMs: Number((h.max / 1e6).toFixed(1)),
    hostLoopDelayP99Ms: Number((h.percentile(99) / 1e6).toFixed(1)),
    hostLongestTimerGapMs: Number(maxGap.toFixed(1)),
    sessionTimelineQueryMs: Number(sessionMs.toFixed(2)),
  };
}

const results = [];
for (const n of sizes) {
  const file = path.join(dir, `bench-${n}.audit.jsonl`);
  if (!fs.existsSync(file)) {
    process.stdout.write(`generating ${n} records into ${file}… `);
    // In a child process, so generating does not count in this process's peak memory.
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(root, 'out', 'bench', 'benchApi.js'))}).writeSampleExport(${JSON.stringify(file)}, ${n})`]);
    process.stdout.write('done\n');
  }
  const r = await measure(file);
  results.push({ size: n, file, ...r });
  console.table([{ size: n, ...r }]);
}
const out = {
  when: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
  results,
};
fs.writeFileSync(path.join(root, 'bench', 'results.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote bench/results.json`);

#!/usr/bin/env node
// Integrity verification throughput (not part of npm test). Three logs of BENCH_RECORDS records (default 100 000),
// written to BENCH_DIR (default the temp dir):
//   chained   sample records (about 1 KB), jcs-sha256, written by the project's VerifiableLogWriter;
//   signed    the same with an Ed25519 checkpoint every 1000 records;
//   export    the benchmark export of bench/load.mjs (bench/generate.mjs: about 3.4 KB a record, 338 MB at 100 k).
// All three are written in canonical form (the verifier's fast path, docs/integrity.md). On each, next to each other:
//   raw SHA-256   every line's bytes hashed once: the ceiling for anything that hashes each record;
//   verify        verifyIntegrity as the extension and the CLI call it;
//   full path     verifyIntegrity with fastPath: false (parse and canonicalize every record: how it was before).
// Each measurement runs in a child process so its peak RSS is its own. Prints records/s, MB/s, CPU seconds (all
// threads: verify hashes on a worker thread too) and verify ÷ raw throughput. BENCH_SKIP=full leaves the full path out.
// Needs the bundles: out/bench/integrityApi.js and out/bench/benchApi.js (`node esbuild.mjs`), or INTEGRITY_API=path.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const apiPath = process.env.INTEGRITY_API || path.join(root, 'out', 'bench', 'integrityApi.js');
const require = createRequire(import.meta.url);
const self = new URL(import.meta.url).pathname;

/** Child mode: `integrity.mjs --measure raw|verify|full FILE [PUBKEY]` prints one JSON line. */
async function measure(kind, file, pubFile) {
  const bytes = fs.statSync(file).size;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let records = 0;
  let findings = null;
  let verdict = null;
  let fastPath = null;
  if (kind === 'raw') {
    // Stream the file in 4 MiB chunks and hash each line's bytes once.
    let carry = Buffer.alloc(0);
    const hashLine = (line) => {
      if (line.length === 0) return;
      createHash('sha256').update(line).digest();
      records += 1;
    };
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 4 << 20 })) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
        hashLine(buf.subarray(start, nl));
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
    }
    hashLine(carry);
  } else {
    const { verifyIntegrity } = require(apiPath);
    const report = await verifyIntegrity(file, { ...(pubFile ? { publicKeys: [pubFile] } : {}), fastPath: kind !== 'full' });
    records = report.records.chain + report.records.checkpoints;
    findings = report.counts.findings;
    verdict = report.verdict;
    fastPath = report.records.fastPath;
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const mb = bytes / 1024 / 1024;
  console.log(
    JSON.stringify({
      kind,
      records,
      mb: +mb.toFixed(1),
      seconds: +s.toFixed(2),
      cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
      recordsPerS: Math.round(records / s),
      mbPerS: +(mb / s).toFixed(1),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      verdict,
      findings,
      fastPath,
    }),
  );
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3], process.argv[4], process.argv[5]);
} else {
  for (const f of [apiPath, path.join(root, 'out', 'bench', 'benchApi.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`${f} is missing: run \`node esbuild.mjs\` (entries bench/integrityApi.ts, bench/benchApi.ts) or set INTEGRITY_API`);
      process.exit(2);
    }
  }
  const { writeChainedExport } = require(apiPath);
  const n = Number(process.env.BENCH_RECORDS || 100_000);
  const dir = process.env.BENCH_DIR || path.join(os.tmpdir(), 'auditlens-bench');
  const skip = new Set((process.env.BENCH_SKIP || '').split(',').filter(Boolean));
  fs.mkdirSync(dir, { recursive: true });
  const logs = [];
  for (const signed of [false, true]) {
    const file = path.join(dir, `integrity-${n}${signed ? '-signed' : ''}.audit.jsonl`);
    const t0 = performance.now();
    const { publicKeyPem } = writeChainedExport(file, n, signed);
    const pub = publicKeyPem ? path.join(dir, `integrity-${n}.pub.pem`) : '';
    if (pub) fs.writeFileSync(pub, publicKeyPem);
    console.error(`generated ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    logs.push({ log: signed ? 'signed (checkpoint/1000)' : 'chained', file, pub });
  }
  {
    const file = path.join(dir, `integrity-${n}-export.audit.jsonl`);
    if (!fs.existsSync(file)) {
      const t0 = performance.now();
      execFileSync(process.execPath, [path.join(root, 'bench', 'generate.mjs'), String(n), '20261122', file], { stdio: ['ignore', 'ignore', 'inherit'] });
      console.error(`generated ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    logs.push({ log: 'export (bench/generate.mjs)', file, pub: '' });
  }
  const rows = [];
  for (const { log, file, pub } of logs) {
    // Read the file once first, so that no measurement pays for reading it from disk.
    const fd = fs.openSync(file, 'r');
    const warm = Buffer.allocUnsafe(16 << 20);
    while (fs.readSync(fd, warm, 0, warm.length, null) > 0);
    fs.closeSync(fd);
    let raw = null;
    for (const kind of ['raw', 'verify', 'full']) {
      if (skip.has(kind)) continue;
      const out = JSON.parse(execFileSync(process.execPath, [self, '--measure', kind, file, ...(pub ? [pub] : [])], { encoding: 'utf8' }).trim());
      if (kind === 'raw') raw = out;
      rows.push({ log, ...out, 'vs raw': raw && kind !== 'raw' ? +(out.mbPerS / raw.mbPerS).toFixed(2) : null });
    }
  }
  console.table(rows);
}

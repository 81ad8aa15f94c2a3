#!/usr/bin/env node
// Integrity verification throughput (not part of npm test): generates a chained export of BENCH_RECORDS records
// (default 100 000; jcs-sha256, written to the temp dir) and one with Ed25519 checkpoints every 1000 records, then
// measures, next to each other:
//   raw SHA-256   every line's bytes hashed once: the ceiling for anything that hashes each record;
//   verify        verifyIntegrity on the same file (parse, canonicalize, hash, Merkle leaf, links, classification).
// Each measurement runs in a child process so its peak RSS is its own. Prints records/s and MB/s.
// Needs the bundled API: out/bench/integrityApi.js (esbuild entry bench/integrityApi.ts), or INTEGRITY_API=path.
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

/** Child mode: `integrity.mjs --measure raw|verify FILE [PUBKEY]` prints one JSON line. */
async function measure(kind, file, pubFile) {
  const bytes = fs.statSync(file).size;
  const t0 = performance.now();
  let records = 0;
  let findings = null;
  let verdict = null;
  if (kind === 'raw') {
    // Stream the file in 4 MiB chunks (as the readers do) and hash each line's bytes once.
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
    const report = await verifyIntegrity(file, pubFile ? { publicKeys: [pubFile] } : {});
    records = report.records.chain + report.records.checkpoints;
    findings = report.counts.findings;
    verdict = report.verdict;
  }
  const s = (performance.now() - t0) / 1000;
  const mb = bytes / 1024 / 1024;
  console.log(JSON.stringify({ kind, records, mb: +mb.toFixed(1), seconds: +s.toFixed(2), recordsPerS: Math.round(records / s), mbPerS: +(mb / s).toFixed(1), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), verdict, findings }));
}

if (process.argv[2] === '--measure') {
  await measure(process.argv[3], process.argv[4], process.argv[5]);
} else {
  if (!fs.existsSync(apiPath)) {
    console.error(`${apiPath} is missing: run \`node esbuild.mjs\` (entry bench/integrityApi.ts) or set INTEGRITY_API`);
    process.exit(2);
  }
  const { writeChainedExport } = require(apiPath);
  const n = Number(process.env.BENCH_RECORDS || 100_000);
  const dir = process.env.BENCH_DIR || path.join(os.tmpdir(), 'auditlens-bench');
  fs.mkdirSync(dir, { recursive: true });
  const rows = [];
  for (const signed of [false, true]) {
    const file = path.join(dir, `integrity-${n}${signed ? '-signed' : ''}.audit.jsonl`);
    const t0 = performance.now();
    const { publicKeyPem } = writeChainedExport(file, n, signed);
    const pub = publicKeyPem ? path.join(dir, `integrity-${n}.pub.pem`) : '';
    if (pub) fs.writeFileSync(pub, publicKeyPem);
    console.error(`generated ${file} (${(fs.statSync(file).size / 1048576).toFixed(1)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    for (const kind of ['raw', 'verify']) {
      const out = execFileSync(process.execPath, [self, '--measure', kind, file, ...(pub ? [pub] : [])], { encoding: 'utf8' });
      rows.push({ log: signed ? 'signed (checkpoint/1000)' : 'chained', ...JSON.parse(out.trim()) });
    }
  }
  console.table(rows);
}

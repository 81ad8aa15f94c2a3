#!/usr/bin/env node
// `npm run bench:redaction` (node esbuild.mjs && node bench/redaction.mjs): the redaction engine's numbers.
//   1. precision / recall per entity type on the labeled corpus (test/unit/redactionCorpus.ts), hard-negative hits;
//   2. detection throughput on the corpus;
//   3. scan and redacted copy (tag mode) of generated exports: records/s, MB/s, peak RSS.
//      Sizes: BENCH_REDACTION_SIZES=10000,100000 (default); files in BENCH_DIR or the temp folder.
// It bundles bench/redactionApi.ts itself, so no esbuild.mjs entry is needed.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundle = path.join(root, 'out', 'bench', 'redactionApi.js');
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'redactionApi.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  logLevel: 'warning',
});
const api = createRequire(import.meta.url)(bundle);

// 1. Precision and recall.
const corpus = api.generateCorpus();
const detector = new api.Detector({ types: [...api.BUILT_IN_TYPES] });
const detectFn = (text) => detector.detect(text);
console.log(`Labeled corpus: ${corpus.length} snippets, ${corpus.reduce((n, s) => n + s.entities.length, 0)} entities, ${corpus.reduce((n, s) => n + s.negatives.length, 0)} hard negatives`);
console.log('Matching: same type and overlap >= 50% of the longer span; "exact-span" = share of matches with identical spans.\n');
console.log(api.scoreTable(api.evaluate(corpus, detectFn)));
console.log('\nHard negatives reported (any type):');
for (const [kind, h] of [...api.hardNegativeHits(corpus, detectFn)].sort()) {
  console.log(`  ${kind.padEnd(16)} ${String(h.hit).padStart(4)} / ${h.total}${h.examples.length ? `   e.g. ${h.examples[0].slice(0, 90)}` : ''}`);
}

// 2. Detection throughput (a fresh detector: no cache hits).
const fresh = new api.Detector();
const chars = corpus.reduce((n, s) => n + s.text.length, 0);
let t0 = performance.now();
for (let round = 0; round < 5; round++) for (const s of corpus) fresh.detect(s.text + ' '.repeat(round)); // distinct strings
const detectS = (performance.now() - t0) / 1000;
console.log(`\nDetection: ${Math.round((corpus.length * 5) / detectS)} snippets/s, ${((chars * 5) / 1e6 / detectS).toFixed(1)} M chars/s (default types)`);

// 3. Scan and redacted copy of generated exports.
const sizes = (process.env.BENCH_REDACTION_SIZES || '10000,100000').split(',').map(Number);
const dir = process.env.BENCH_DIR || path.join(os.tmpdir(), 'auditlens-bench');
fs.mkdirSync(dir, { recursive: true });
console.log('\nrecords      MB   scan s  scan rec/s   copy s  copy rec/s  copy MB/s  findings  peak RSS MB');
for (const n of sizes) {
  const file = path.join(dir, `redaction-${n}.audit.jsonl`);
  const records = api.writeSampleExport(file, n);
  const mb = fs.statSync(file).size / 1e6;
  t0 = performance.now();
  const scan = await api.scanFile(file, { keepFindings: 0 });
  const scanS = (performance.now() - t0) / 1000;
  const out = path.join(dir, `redaction-${n}.redacted.jsonl`);
  t0 = performance.now();
  const summary = await api.redactFile(file, out, { mode: 'tag', overwrite: true });
  const copyS = (performance.now() - t0) / 1000;
  console.log(
    [
      String(records).padStart(7),
      mb.toFixed(1).padStart(7),
      scanS.toFixed(2).padStart(8),
      String(Math.round(scan.records / scanS)).padStart(11),
      copyS.toFixed(2).padStart(8),
      String(Math.round(summary.recordsRead / copyS)).padStart(11),
      (mb / copyS).toFixed(1).padStart(10),
      String(summary.findings.total).padStart(9),
      String(Math.round(process.resourceUsage().maxRSS / 1024)).padStart(12),
    ].join(' '),
  );
  fs.rmSync(out, { force: true });
}

// `npm run sample`: writes the seeded sample export in the project's own format to samples/sample.audit.jsonl,
// and the same records as the JSON array and CSV fixtures in test/fixtures/.
// `npm run sample -- --out FILE [--sessions N] [--seed S]`: one file, its format from the name
// (.json: JSON array, .csv: CSV, .gz: gzip-compressed JSON Lines, anything else: JSON Lines).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateSample, toJsonl } from '../core/sample/generateSample';
import { toCsv, toJsonArray } from '../core/sample/exportFormats';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function intArg(name: string, fallback: number): number {
  const raw = arg(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`--${name} needs a positive integer, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

function render(file: string, records: ReturnType<typeof generateSample>): string | Buffer {
  if (/\.json$/i.test(file)) return toJsonArray(records);
  if (/\.csv$/i.test(file)) return toCsv(records as unknown as Record<string, unknown>[]);
  if (/\.gz$/i.test(file)) return zlib.gzipSync(toJsonl(records));
  return toJsonl(records);
}

const records = generateSample({ seed: intArg('seed', 20261122), sessions: intArg('sessions', 24) });
const root = path.join(__dirname, '..', '..');
const out = arg('out');
const targets = out
  ? [path.resolve(out)]
  : [path.join(root, 'samples', 'sample.audit.jsonl'), path.join(root, 'test', 'fixtures', 'sample.audit.json'), path.join(root, 'test', 'fixtures', 'sample.audit.csv')];
for (const file of targets) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, render(file, records));
  process.stdout.write(`wrote ${records.length} records to ${file}\n`);
}

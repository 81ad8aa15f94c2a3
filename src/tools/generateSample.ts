// `npm run sample [-- --out FILE --sessions N --seed S]`: writes a seeded audit export in the project's own format.
import fs from 'node:fs';
import path from 'node:path';
import { generateSample, toJsonl } from '../core/sample/generateSample';

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

const out = path.resolve(arg('out') ?? path.join(__dirname, '..', '..', 'samples', 'sample.audit.jsonl'));
const records = generateSample({ seed: intArg('seed', 20261122), sessions: intArg('sessions', 24) });
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, toJsonl(records));
process.stdout.write(`wrote ${records.length} records to ${out}\n`);

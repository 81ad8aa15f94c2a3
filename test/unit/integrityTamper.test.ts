// The tamper suite: clean signed logs of 10, 100 and 1000 records, and for every tamper class 30 seeded trials at
// random places. Each tamper must be found at the record (line) it touched, with its class, and nowhere else; clean
// logs must give no finding at all. The counts are printed as a table.
import * as assert from 'node:assert/strict';
import { generateSample } from '../../src/core/sample/generateSample';
import { Random } from '../../src/core/sample/random';
import { CHECKPOINT_TYPE, parseTreeHead, type TreeHeadJson } from '../../src/core/integrity/checkpoint';
import type { Finding, FindingClass } from '../../src/core/integrity/findings';
import { computeRecordHash, DEFAULT_PROFILE } from '../../src/core/integrity/profiles';
import { buildVerifiableLog, generateSigningKey } from '../../src/core/integrity/sign';
import { verifyIntegrity } from '../../src/core/integrity/verify';

type Line = Record<string, unknown>;

interface Clean {
  lines: Line[];
  digest: TreeHeadJson;
}

interface Tampered {
  lines: Line[];
  expect: FindingClass;
  /** 1-based lines where the finding must be. */
  at: number[];
  useDigest?: boolean;
}

const SIZES = [10, 100, 1000];
const TRIALS = 30;
const key = generateSigningKey('ed25519');
const clock = () => '2026-11-02T12:00:00.000Z';

function cleanLog(n: number, seed: number): Clean {
  const records = generateSample({ seed, sessions: Math.ceil(n / 5) + 2 }).slice(0, n) as unknown as Line[];
  assert.equal(records.length, n);
  const { lines, digest } = buildVerifiableLog(records, { signer: key, checkpointEvery: Math.max(2, Math.floor(n / 8)), clock });
  return { lines, digest: digest as TreeHeadJson };
}

const isCheckpoint = (l: Line) => l.type === CHECKPOINT_TYPE;
/** Positions (0-based, in lines) of the chain records. */
const recordPositions = (lines: Line[]) => lines.flatMap((l, i) => (isCheckpoint(l) ? [] : [i]));
const copy = (lines: Line[]) => lines.map((l) => ({ ...l }));
const rehash = (r: Line) => {
  delete r.hash;
  r.hash = computeRecordHash(DEFAULT_PROFILE, r);
};

/** Changes one field other than the chain fields (and seq when `keepSeq`). */
function editField(r: Line, rng: Random, keepSeq: boolean): void {
  const fields = Object.keys(r).filter((k) => k !== 'hash' && k !== 'prev_hash' && !(keepSeq && k === 'seq'));
  const f = rng.pick(fields);
  const v = r[f];
  if (typeof v === 'string') r[f] = v + ' (edited)';
  else if (typeof v === 'number') r[f] = v + 1;
  else if (typeof v === 'boolean') r[f] = !v;
  else r[f] = { edited: true, was: v ?? null };
}

const TAMPERS: Record<string, (c: Clean, rng: Random) => Tampered> = {
  modified(c, rng) {
    const lines = copy(c.lines);
    const i = rng.pick(recordPositions(lines));
    editField(lines[i], rng, false);
    return { lines, expect: 'modified', at: [i + 1] };
  },
  'modified+rehash'(c, rng) {
    const lines = copy(c.lines);
    const recs = recordPositions(lines);
    const i = recs[rng.int(0, recs.length - 2)]; // a record another record links to
    editField(lines[i], rng, true);
    rehash(lines[i]);
    return { lines, expect: 'modified', at: [i + 1] };
  },
  deleted(c, rng) {
    const lines = copy(c.lines);
    const recs = recordPositions(lines);
    const k = rng.int(1, recs.length - 2); // not the first (a partial chain) nor the last (only a checkpoint can tell)
    const next = recs[k + 1];
    lines.splice(recs[k], 1);
    return { lines, expect: 'deleted', at: [next] }; // the next record moved up one line
  },
  inserted(c, rng) {
    const lines = copy(c.lines);
    const recs = recordPositions(lines);
    const k = rng.int(-1, recs.length - 2); // after record k (-1: before the first)
    const after = k < 0 ? null : lines[recs[k]];
    const model = lines[recs[Math.max(k, 0)]];
    const forged: Line = { ...model, id: 'evt_forged', detail: 'forged', seq: after ? (after.seq as number) + 1 : 1, prev_hash: after ? after.hash : '0'.repeat(64) };
    if (rng.chance(0.5)) rehash(forged);
    else forged.hash = 'ab'.repeat(32);
    const at = k < 0 ? 0 : recs[k] + 1;
    lines.splice(at, 0, forged);
    return { lines, expect: 'inserted', at: [at + 1] };
  },
  reordered(c, rng) {
    const lines = copy(c.lines);
    const recs = recordPositions(lines);
    const a = rng.int(0, recs.length - 2);
    const b = rng.chance(0.5) ? a + 1 : rng.int(a + 1, recs.length - 1);
    const [i, j] = [recs[a], recs[b]];
    [lines[i], lines[j]] = [lines[j], lines[i]];
    return { lines, expect: 'reordered', at: [i + 1, j + 1] };
  },
  duplicated(c, rng) {
    const lines = copy(c.lines);
    const recs = recordPositions(lines);
    const k = rng.int(0, recs.length - 1);
    const m = rng.int(k, recs.length - 1); // replayed after record m
    lines.splice(recs[m] + 1, 0, { ...lines[recs[k]] });
    return { lines, expect: 'duplicated', at: [recs[m] + 2] };
  },
  truncated(c, rng) {
    const cps = c.lines.flatMap((l, i) => (isCheckpoint(l) && i < c.lines.length - 1 ? [i] : []));
    const cut = rng.pick(cps);
    return { lines: copy(c.lines.slice(0, cut + 1)), expect: 'truncated', at: [cut + 1], useDigest: true };
  },
  'bad-signature'(c, rng) {
    const lines = copy(c.lines);
    const i = rng.pick(lines.flatMap((l, n) => (isCheckpoint(l) ? [n] : [])));
    const sig = lines[i].signature as string;
    const p = rng.int(0, 79);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const other = alphabet[(alphabet.indexOf(sig[p]) + rng.int(1, 63)) % 64];
    lines[i].signature = sig.slice(0, p) + other + sig.slice(p + 1);
    return { lines, expect: 'bad-signature', at: [i + 1] };
  },
};

async function verify(lines: Line[], digest?: TreeHeadJson) {
  return verifyIntegrity({ values: lines }, { publicKeys: [key.publicKeyPem], ...(digest ? { digest: parseDigest(digest) } : {}) });
}

function parseDigest(d: TreeHeadJson) {
  const parsed = parseTreeHead(d);
  assert.ok(parsed.ok);
  return parsed.head;
}

const describeFindings = (fs: Finding[]) => fs.map((f) => `${f.line} ${f.severity} ${f.class}: ${f.message}`).join('\n      ');

describe('integrity tamper suite', function () {
  this.timeout(600_000);
  const table: Record<string, { trials: number; detected: number; placed: number }> = {};
  let cleanRuns = 0;
  let falsePositives = 0;

  after(() => {
    const rows = Object.entries(table).map(([k, v]) => ({ class: k, ...v }));
    rows.push({ class: 'clean logs (findings)', trials: cleanRuns, detected: falsePositives, placed: 0 });
    console.log('\n    tamper suite (sizes ' + SIZES.join(', ') + '; trials per class = ' + TRIALS + ' per size)');
    console.table(rows);
  });

  for (const n of SIZES) {
    describe(`${n} records`, () => {
      let base: Clean;
      before(() => {
        base = cleanLog(n, 7000 + n);
      });

      it('clean logs give no finding at all (several seeds, with the digest)', async () => {
        for (let s = 0; s < 5; s++) {
          const c = s === 0 ? base : cleanLog(n, 9000 + n * 10 + s);
          const report = await verify(c.lines, c.digest);
          cleanRuns += 1;
          falsePositives += report.findings.length;
          assert.deepEqual(report.findings, [], describeFindings(report.findings));
          assert.equal(report.verdict, 'verified');
          assert.equal(report.checkpoints.badSignature + report.checkpoints.mismatched, 0);
          assert.equal(report.lastVerifiedCheckpoint?.recordCount, n);
        }
      });

      for (const [name, tamper] of Object.entries(TAMPERS)) {
        it(`${name}: found at the right line with the right class in every trial`, async () => {
          const rng = new Random(n * 1000 + name.length * 17 + name.charCodeAt(0));
          const row = (table[name] ??= { trials: 0, detected: 0, placed: 0 });
          const failures: string[] = [];
          for (let trial = 0; trial < TRIALS; trial++) {
            const t = tamper(base, rng);
            const report = await verify(t.lines, t.useDigest ? base.digest : undefined);
            const above = report.findings.filter((f) => f.severity !== 'info');
            row.trials += 1;
            if (above.length > 0) row.detected += 1;
            const foundEach = t.at.every((line) => above.some((f) => f.line === line && f.class === t.expect));
            const onlyThere = above.every((f) => t.at.includes(f.line));
            if (foundEach && onlyThere) row.placed += 1;
            else failures.push(`trial ${trial}: expected ${t.expect} at ${t.at.join(', ')}, got:\n      ${describeFindings(report.findings)}`);
            assert.equal(report.verdict, 'tampered');
          }
          assert.deepEqual(failures, []);
        });
      }
    });
  }
});

// The fast path of verifyIntegrity (src/core/integrity/fastRecord.ts, canonicalLine.ts, jsonlBatches.ts,
// chunkWorker.ts): records already written in canonical form are hashed from their bytes. It must be taken where it
// can be, and every report must be exactly the report of the full path (parse, canonicalize, hash): the same
// verdict, findings, classes and lines, whatever the line holds. Each log here is verified both ways.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { readJsonl } from '../../src/core/ingest/jsonlReader';
import type { ReadEvent } from '../../src/core/ingest/readerTypes';
import { canonicalJson } from '../../src/core/integrity/canonical';
import { CanonicalLineScanner } from '../../src/core/integrity/canonicalLine';
import { CHECKPOINT_TYPE, type TreeHeadJson } from '../../src/core/integrity/checkpoint';
import { ChunkWorker } from '../../src/core/integrity/chunkWorker';
import { decodeHex } from '../../src/core/integrity/encoding';
import { isoMillis } from '../../src/core/integrity/fastRecord';
import { workerTuning } from '../../src/core/integrity/fileHash';
import { LINE_CLEAN, LINE_OVERSIZE, lineEvent, oversizeEvent, readJsonlBatches, type ChunkBuffers } from '../../src/core/integrity/jsonlBatches';
import { leafHash, merkleRoot } from '../../src/core/integrity/merkle';
import type { IntegrityReport } from '../../src/core/integrity/reportTypes';
import { buildVerifiableLog, generateSigningKey } from '../../src/core/integrity/sign';
import { verifyIntegrity, type VerifyOptions } from '../../src/core/integrity/verify';
import { generateSample } from '../../src/core/sample/generateSample';
import { Random } from '../../src/core/sample/random';

type Line = Record<string, unknown>;
type Pass = Parameters<NonNullable<VerifyOptions['onPass']>>[0];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-fastpath-'));
let fileNo = 0;
const write = (content: string | Buffer, ext = 'jsonl'): string => {
  const file = path.join(dir, `log${++fileNo}.${ext}`);
  fs.writeFileSync(file, content);
  return file;
};
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const key = generateSigningKey('ed25519');
const clock = () => '2026-11-02T12:00:00.000Z';
const DETECTION = 16; // records the detection reads parsed (they take the full path)

/** The canonical text of a chain record without the members its hash leaves out, and those members (canonical too). */
function split(r: Line): { covered: string; excluded: string[] } {
  const { hash, signature, merkle_proof, ...rest } = r;
  const excluded: string[] = [];
  if (hash !== undefined) excluded.push(`"hash":${canonicalize(hash)}`);
  if (signature !== undefined) excluded.push(`"signature":${canonicalize(signature)}`);
  if (merkle_proof !== undefined) excluded.push(`"merkle_proof":${canonicalize(merkle_proof)}`);
  return { covered: canonicalize(rest) as string, excluded };
}

type Layout = 'last' | 'first' | 'sorted' | 'middle';
const LAYOUTS: Layout[] = ['last', 'first', 'sorted', 'middle'];

/** A record as a canonical line: the covered members in canonical form, the hash (and friends) where `layout` says. */
function canonicalLine(r: Line, layout: Layout = 'last'): string {
  if (r.type === CHECKPOINT_TYPE) return JSON.stringify(r);
  if (layout === 'sorted') return canonicalize(r) as string;
  const { covered, excluded } = split(r);
  const inner = covered.slice(1, -1);
  if (inner === '') return `{${excluded.join(',')}}`;
  if (layout === 'first') return `{${excluded.join(',')},${inner}}`;
  if (layout === 'middle') {
    const members = JSON.parse(covered) as Line;
    const keys = Object.keys(members);
    const half = Math.ceil(keys.length / 2);
    const part = (ks: string[]) => (canonicalize(Object.fromEntries(ks.map((k) => [k, members[k]]))) as string).slice(1, -1);
    const a = part(keys.slice(0, half));
    const b = part(keys.slice(half));
    return `{${[a, ...excluded, b].filter((x) => x !== '').join(',')}}`;
  }
  return `{${inner},${excluded.join(',')}}`;
}

const jsonl = (lines: string[], eol = '\n') => lines.join(eol) + eol;

/** A line with the record's keys in reverse order: valid JSON, the same record, not its canonical text. */
const reversedLine = (r: Line) => JSON.stringify(Object.fromEntries(Object.entries(r).reverse()));

/** A hash-last line with its hash recomputed over its own bytes (what a producer writing non-canonical text would do). */
function rehashRaw(line: string): string {
  const at = line.lastIndexOf(',"hash":"');
  assert.ok(at > 0, 'a hash-last line');
  const hashed = line.slice(0, at) + '}';
  return `${hashed.slice(0, -1)},"hash":"${sha256(Buffer.from(hashed, 'utf8'))}"}`;
}

/** The same, when the line is given as bytes (invalid UTF-8 stays as it is). */
function rehashRawBytes(line: Buffer): Buffer {
  const at = line.lastIndexOf(',"hash":"');
  const hashed = Buffer.concat([line.subarray(0, at), Buffer.from('}')]);
  return Buffer.concat([line.subarray(0, at), Buffer.from(`,"hash":"${sha256(hashed)}"}`)]);
}

/** Everything of a report but the time it took and how the records were read. */
function comparable(r: IntegrityReport): unknown {
  const { elapsedMs: _e, verifiedAt: _v, records, ...rest } = r;
  const { fastPath: _f, ...counts } = records;
  return { ...rest, records: counts };
}

/** Verifies the file on the fast path and on the full path; the reports must be the same. Returns the fast one. */
async function both(file: string | string[], opts: VerifyOptions = {}): Promise<IntegrityReport & { passes: Pass[] }> {
  const passes: Pass[] = [];
  const fast = await verifyIntegrity(file, { ...opts, onPass: (p) => passes.push(p) });
  const full = await verifyIntegrity(file, { ...opts, fastPath: false });
  assert.equal(full.records.fastPath, 0);
  assert.deepEqual(comparable(fast), comparable(full));
  return Object.assign(fast, { passes });
}

const high = (r: IntegrityReport) => r.findings.filter((f) => f.severity !== 'info').map((f) => [f.line, f.class]);

/** A small log of records with the given extra content on record `at` (0-based), chained. */
function records(n: number, extra: (i: number) => Line = () => ({})): Line[] {
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      id: `evt_${i + 1}`,
      seq: i + 1,
      ts: new Date(Date.UTC(2026, 10, 2, 8, 0, i)).toISOString(),
      type: 'llm.call',
      model: 'gpt-4o-mini',
      prompt: `question ${i}: how do I return an order?`,
      usage: { input_tokens: 40 + i, output_tokens: 12 },
      ...extra(i),
    });
  }
  return buildVerifiableLog(out).lines;
}

const AT = 30; // the record (0-based) the cases below change: line 31
const LINE = AT + 1;

describe('integrity fast path: records written in canonical form', () => {
  it('takes the fast path for every record after detection, wherever the hash stands, and reports as the full path', async () => {
    const sample = buildVerifiableLog(generateSample({ seed: 5, sessions: 12 }) as unknown as Line[]).lines;
    for (const layout of LAYOUTS) {
      const r = await both(write(jsonl(sample.map((l) => canonicalLine(l, layout)))));
      assert.equal(r.verdict, 'verified', `${layout}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.chain, sample.length);
      assert.equal(r.records.fastPath, sample.length - DETECTION, layout);
    }
  });

  it("the project's own writer (buildVerifiableLog, then JSON.stringify) writes lines the fast path takes", async () => {
    const { lines } = buildVerifiableLog(generateSample({ seed: 9, sessions: 8 }) as unknown as Line[]);
    const r = await both(write(jsonl(lines.map((l) => JSON.stringify(l)))));
    assert.equal(r.verdict, 'verified');
    assert.equal(r.records.fastPath, lines.length - DETECTION);
  });

  it('other profiles: sorted key order, SHA-384/512, base64 hashes, HMAC, a named genesis; tampered too', async () => {
    const hmacKey = Buffer.from('a test key, never a real one', 'utf8');
    const profiles: { hints: NonNullable<Parameters<typeof buildVerifiableLog>[1]>; opts: VerifyOptions }[] = [
      { hints: { profile: { canonicalization: 'sorted', algorithm: 'sha384' } }, opts: {} },
      { hints: { profile: { canonicalization: 'jcs', algorithm: 'sha512', encoding: 'base64' } }, opts: {} },
      { hints: { profile: { canonicalization: 'sorted', encoding: 'base64', genesis: 'GENESIS' }, hmacKey }, opts: { hmacKey } },
      { hints: { hmacKey }, opts: { hmacKey, profile: 'jcs-hmac-sha256' } },
    ];
    for (const { hints, opts } of profiles) {
      const recs = records(50, (i) => ({ tags: { z: i, 'ﬁ': true, '🙂': [1.5, null], é: 'x' } })).map((r) => {
        const { hash: _h, prev_hash: _p, ...rest } = r;
        return rest;
      });
      const lines = buildVerifiableLog(recs, hints).lines.map((l) => JSON.stringify(l));
      const r = await both(write(jsonl(lines)), opts);
      assert.equal(r.verdict, 'verified', `${JSON.stringify(hints.profile)}: ${r.profileChoice.reason} ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 50 - DETECTION, JSON.stringify(hints.profile));
      const edited = lines.slice();
      edited[AT] = edited[AT].replace('question 30', 'question 3O');
      const t = await both(write(jsonl(edited)), opts);
      assert.deepEqual(high(t), [[LINE, 'modified']], JSON.stringify(hints.profile));
    }
  });

  it('takes records with signature and merkle_proof members, checkpoints and a digest, and reports as the full path', async () => {
    const recs = generateSample({ seed: 6, sessions: 10 }) as unknown as Line[];
    const { lines, digest } = buildVerifiableLog(
      recs.map((r, i) => ({ ...r, signature: `sig-${i}` })),
      { signer: key, checkpointEvery: 10, clock, proofs: true },
    );
    const pub = write(key.publicKeyPem, 'pem');
    const digestFile = write(JSON.stringify(digest), 'json');
    for (const layout of LAYOUTS) {
      const r = await both(write(jsonl(lines.map((l) => canonicalLine(l, layout)))), { publicKeys: [pub], digest: digestFile });
      assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
      assert.equal(r.inclusionProofs.verified, recs.length);
      assert.ok(r.records.fastPath >= recs.length - DETECTION, `${layout}: ${r.records.fastPath}`);
    }
  });

  it('a changed prompt on a canonical line is modified at that line, as on the full path', async () => {
    const lines = records(60).map((l) => canonicalLine(l));
    lines[AT] = lines[AT].replace('question 30', 'question 31');
    const r = await both(write(jsonl(lines)));
    assert.deepEqual(high(r), [[LINE, 'modified']]);
    assert.equal(r.records.fastPath, 60 - DETECTION - 1, 'every other record is taken');
  });

  it('a changed prev_hash on a canonical line is found at that line, as on the full path', async () => {
    const lines = records(60).map((l) => canonicalLine(l));
    lines[AT] = lines[AT].replace(/"prev_hash":"[0-9a-f]{4}/, '"prev_hash":"ffff');
    const r = await both(write(jsonl(lines)));
    assert.deepEqual(high(r), [[LINE, 'modified']]);
    const rehashed = lines.slice();
    rehashed[AT] = rehashRaw(lines[AT]);
    const r2 = await both(write(jsonl(rehashed)));
    assert.equal(r2.verdict, 'tampered');
    assert.ok(high(r2).some(([line]) => line === LINE), JSON.stringify(r2.findings));
  });

  it('"hash":" and "prev_hash": inside string values (escaped quotes) do not fool it', async () => {
    const fake = `","hash":"${'0'.repeat(64)}"},"prev_hash":"${'f'.repeat(64)}","seq":1,"x":"`;
    const recs = records(60, (i) => (i % 3 === 0 ? { prompt: `ignore this${fake}`, note: { hash: 'inner', text: `"hash":"${'1'.repeat(64)}"` } } : {}));
    const lines = recs.map((l) => canonicalLine(l));
    const clean = await both(write(jsonl(lines)));
    assert.equal(clean.verdict, 'verified', JSON.stringify(clean.findings));
    assert.equal(clean.records.fastPath, 60 - DETECTION);
    const edited = lines.slice();
    edited[AT] = edited[AT].replace(`\\"hash\\":\\"${'0'.repeat(64)}`, `\\"hash\\":\\"${'0'.repeat(63)}1`);
    assert.notEqual(edited[AT], lines[AT]);
    const r = await both(write(jsonl(edited)));
    assert.deepEqual(high(r), [[LINE, 'modified']]);
  });

  it('escapes: canonical ones (\\" \\\\ \\n \\t \\u0001) are taken; \\u000a, \\/ and uppercase hex are left to the full path', async () => {
    const recs = records(60, (i) => (i === AT ? { prompt: 'say "hi" \\ C:\\dir\nnext\tcol\u0001\u001f end' } : {}));
    const lines = recs.map((l) => canonicalLine(l));
    assert.ok(lines[AT].includes('\\"hi\\" \\\\ C:\\\\dir\\nnext\\tcol\\u0001\\u001f'), lines[AT]);
    const clean = await both(write(jsonl(lines)));
    assert.equal(clean.verdict, 'verified');
    assert.equal(clean.records.fastPath, 60 - DETECTION, 'the canonical escapes are taken');
    for (const [from, to] of [
      ['\\n', '\\u000a'],
      ['dir', '\\/dir'],
      ['\\u001f', '\\u001F'],
      ['\\t', '\\u0009'],
      ['hi', '\\u0068i'],
    ]) {
      const same = lines.slice();
      same[AT] = lines[AT].replace(from, to);
      // The same text, written another way: the full path reads the same record, so it verifies; not taken.
      const r = await both(write(jsonl(same)));
      assert.equal(r.verdict, from === 'dir' ? 'tampered' : 'verified', `${to}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1, to);
      // With the hash recomputed over those bytes, the full path finds the record modified, and so must this.
      const raw = lines.slice();
      raw[AT] = rehashRaw(same[AT]);
      const r2 = await both(write(jsonl(raw)));
      assert.equal(r2.verdict, 'tampered', to);
      assert.ok(high(r2).some(([line, cls]) => line === LINE && cls === 'modified'), `${to}: ${JSON.stringify(r2.findings)}`);
    }
  });

  it('a duplicate key is never taken: as the full path says, verified when the last one wins unchanged, else modified', async () => {
    const lines = records(60).map((l) => canonicalLine(l));
    const cases = [
      lines[AT].replace('"model":"gpt-4o-mini"', '"model":"other","model":"gpt-4o-mini"'),
      lines[AT].replace('"model":"gpt-4o-mini"', '"model":"gpt-4o-mini","model":"other"'),
      rehashRaw(lines[AT].replace('"model":"gpt-4o-mini"', '"model":"other","model":"gpt-4o-mini"')),
      rehashRaw(lines[AT].replace('"input_tokens":70', '"input_tokens":70,"input_tokens":70')),
    ];
    const expect = ['verified', 'tampered', 'tampered', 'tampered'];
    for (const [i, line] of cases.entries()) {
      const l = lines.slice();
      l[AT] = line;
      const r = await both(write(jsonl(l)));
      assert.equal(r.verdict, expect[i], `${line}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1);
      if (expect[i] === 'tampered') assert.ok(high(r).some(([ln, cls]) => ln === LINE && cls === 'modified'), JSON.stringify(r.findings));
    }
  });

  it('whitespace or keys out of order: verified through the full path when the content is the same, modified when hashed as written', async () => {
    const lines = records(60).map((l) => canonicalLine(l));
    const variants = [
      lines[AT].replace('"seq":', '"seq": '),
      lines[AT].replace('{"id"', '{ "id"'),
      lines[AT].replace(/,"hash"/, ' ,"hash"'),
      lines[AT].replace('"model":"gpt-4o-mini",', '').replace('"seq":', '"model":"gpt-4o-mini","seq":'),
      lines[AT].replace('{"input_tokens":70,"output_tokens":12}', '{"output_tokens":12,"input_tokens":70}'),
    ];
    for (const v of variants) {
      assert.notEqual(v, lines[AT]);
      const l = lines.slice();
      l[AT] = v;
      const r = await both(write(jsonl(l)));
      assert.equal(r.verdict, 'verified', `${v}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1);
      if (v.endsWith('"}') && v.lastIndexOf(',"hash":"') > 0) {
        const l2 = lines.slice();
        l2[AT] = rehashRaw(v);
        const r2 = await both(write(jsonl(l2)));
        assert.ok(high(r2).some(([ln, cls]) => ln === LINE && cls === 'modified'), `${v}: ${JSON.stringify(r2.findings)}`);
      }
    }
  });

  it('non-ASCII text is taken as raw UTF-8; written with \\u escapes it is left to the full path', async () => {
    const text = 'café naïve Müller 東京 🙂 “quoted” – € \u2028 \u007f';
    const lines = records(60, (i) => (i % 2 ? { prompt: `${text} ${i}`, tags: { 'ﬁ': 1, 'é': 2, '🙂': 3, z: 4 } } : {})).map((l) => canonicalLine(l));
    const clean = await both(write(jsonl(lines)));
    assert.equal(clean.verdict, 'verified', JSON.stringify(clean.findings));
    assert.equal(clean.records.fastPath, 60 - DETECTION);
    for (const [from, to] of [
      ['é', '\\u00e9'],
      ['🙂', '\\ud83d\\ude42'],
      ['東', '\\u6771'],
    ]) {
      const l = lines.slice();
      l[AT + 1] = lines[AT + 1].replace(from, to);
      const r = await both(write(jsonl(l)));
      assert.equal(r.verdict, 'verified', `${to}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1, to);
      l[AT + 1] = rehashRaw(l[AT + 1]);
      const r2 = await both(write(jsonl(l)));
      assert.ok(high(r2).some(([ln, cls]) => ln === LINE + 1 && cls === 'modified'), `${to}: ${JSON.stringify(r2.findings)}`);
    }
  });

  it('numbers: canonical ones are taken; 1.0, 1e0, 1E0, 1.00, 10e-1, -0, 0.0 and too many digits are left to the full path', async () => {
    const values = [0, 1, -1, 1.5, -2.25, 0.1, 0.000001, 1e-7, 123456789012.345, 1e21, 1.7976931348623157e308, 5e-324, 2 ** 53, 123456789012345, 0.30000000000000004];
    const lines = records(60, (i) => ({ n: values[i % values.length], m: [values[(i + 3) % values.length], { v: -values[(i + 5) % values.length] }] })).map((l) => canonicalLine(l));
    const clean = await both(write(jsonl(lines)));
    assert.equal(clean.verdict, 'verified', JSON.stringify(clean.findings));
    assert.equal(clean.records.fastPath, 60 - DETECTION, 'canonical numbers are taken');
    const at = lines.findIndex((l, i) => i >= DETECTION && l.includes('"n":1,'));
    for (const written of ['1.0', '1e0', '1E0', '1.00', '0.1e1', '10e-1', '1.0000000000000000001']) {
      const l = lines.slice();
      l[at] = lines[at].replace('"n":1,', `"n":${written},`);
      const r = await both(write(jsonl(l)));
      assert.equal(r.verdict, 'verified', `${written}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1, written);
      l[at] = rehashRaw(l[at]);
      const r2 = await both(write(jsonl(l)));
      assert.ok(high(r2).some(([ln, cls]) => ln === at + 1 && cls === 'modified'), `${written}: ${JSON.stringify(r2.findings)}`);
    }
    const zero = lines.findIndex((l, i) => i >= DETECTION && l.includes('"n":0,'));
    for (const written of ['-0', '0.0', '-0.0', '0e5']) {
      const l = lines.slice();
      l[zero] = lines[zero].replace('"n":0,', `"n":${written},`);
      const r = await both(write(jsonl(l)));
      assert.equal(r.verdict, 'verified', written);
      assert.equal(r.records.fastPath, 60 - DETECTION - 1, written);
    }
  });

  it('a raw tab or invalid UTF-8 inside a string with a matching hash is not taken: unreadable or modified, as before', async () => {
    const lines = records(60).map((l) => canonicalLine(l));
    const tab = lines.slice();
    tab[AT] = rehashRaw(lines[AT].replace('how do I', 'how\tdo I'));
    const r = await both(write(jsonl(tab)));
    assert.deepEqual(high(r), [[LINE, 'unverifiable']]);
    assert.equal(r.records.skippedLines, 1);
    const bytes: Buffer[] = lines.map((l) => Buffer.from(l, 'utf8'));
    const bad = Buffer.from(lines[AT].replace('order', 'ordér'), 'utf8');
    const i = bad.indexOf(Buffer.from('é'));
    bad[i + 1] = 0x28; // 0xc3 0x28: not UTF-8
    bytes[AT] = rehashRawBytes(bad);
    const r2 = await both(write(Buffer.concat(bytes.flatMap((b) => [b, Buffer.from('\n')]))));
    assert.deepEqual(high(r2).filter(([ln]) => ln === LINE), [[LINE, 'modified']]);
    assert.equal(r2.records.fastPath, 60 - DETECTION - 1);
  });

  it('a "__proto__" key, CRLF line ends and a byte-order mark: reported as the full path reports them', async () => {
    const recs = records(60, (i) => (i === AT ? { meta: JSON.parse('{"__proto__":{"a":1},"b":2}') as Line } : {}));
    const lines = recs.map((l) => canonicalLine(l));
    assert.ok(lines[AT].includes('"__proto__"'));
    const r = await both(write('\ufeff' + jsonl(lines, '\r\n')));
    assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
    assert.equal(r.records.fastPath, 60 - DETECTION - 1, 'all but the __proto__ record');
  });

  it('a valid log not written in canonical form verifies through the full path', async () => {
    const { lines } = buildVerifiableLog(generateSample({ seed: 8, sessions: 6 }) as unknown as Line[], { signer: key, checkpointEvery: 7, clock });
    const noncanonical = lines.map(reversedLine);
    assert.ok(noncanonical.every((l, i) => l !== canonicalLine(lines[i])), 'the lines are not canonical');
    const r = await both(write(jsonl(noncanonical)), { publicKeys: [write(key.publicKeyPem, 'pem')] });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
    assert.equal(r.records.fastPath, 0);
  });
});

// The tamper classes of integrityTamper.test.ts on canonical files: found at the same line with the same class,
// and the fast path's report is the full path's.
describe('integrity fast path: tampering canonical files', function () {
  this.timeout(300_000);
  const rehash = (r: Line): Line => {
    const copy = { ...r };
    delete copy.hash;
    const { covered } = split(copy);
    return { ...copy, hash: sha256(covered) };
  };
  const isCp = (l: Line) => l.type === CHECKPOINT_TYPE;
  const positions = (ls: Line[]) => ls.flatMap((l, i) => (isCp(l) ? [] : [i]));
  const edit = (r: Line, rng: Random) => {
    const f = rng.pick(Object.keys(r).filter((k) => k !== 'hash' && k !== 'prev_hash' && k !== 'seq'));
    const v = r[f];
    r[f] = typeof v === 'string' ? `${v} (edited)` : typeof v === 'number' ? v + 1 : { edited: true, was: v ?? null };
  };
  const tampers: Record<string, (ls: Line[], rng: Random) => { lines: Line[]; expect: string; at: number[]; digest?: boolean }> = {
    modified(ls, rng) {
      const lines = ls.map((l) => ({ ...l }));
      const i = rng.pick(positions(lines).filter((p) => p >= DETECTION));
      edit(lines[i], rng);
      return { lines, expect: 'modified', at: [i + 1] };
    },
    'modified+rehash'(ls, rng) {
      const lines = ls.map((l) => ({ ...l }));
      const recs = positions(lines).filter((p) => p >= DETECTION);
      const i = recs[rng.int(0, recs.length - 2)];
      edit(lines[i], rng);
      lines[i] = rehash(lines[i]);
      return { lines, expect: 'modified', at: [i + 1] };
    },
    deleted(ls, rng) {
      const lines = ls.map((l) => ({ ...l }));
      const recs = positions(lines);
      const k = rng.int(DETECTION + 1, recs.length - 2);
      const next = recs[k + 1];
      lines.splice(recs[k], 1);
      return { lines, expect: 'deleted', at: [next] };
    },
    reordered(ls, rng) {
      const lines = ls.map((l) => ({ ...l }));
      const recs = positions(lines).filter((p) => p >= DETECTION);
      const a = rng.int(0, recs.length - 2);
      const [i, j] = [recs[a], recs[a + 1]];
      [lines[i], lines[j]] = [lines[j], lines[i]];
      return { lines, expect: 'reordered', at: [i + 1, j + 1] };
    },
    duplicated(ls, rng) {
      const lines = ls.map((l) => ({ ...l }));
      const recs = positions(lines).filter((p) => p >= DETECTION);
      const k = rng.int(0, recs.length - 1);
      lines.splice(recs[k] + 1, 0, { ...lines[recs[k]] });
      return { lines, expect: 'duplicated', at: [recs[k] + 2] };
    },
    truncated(ls, rng) {
      const cps = ls.flatMap((l, i) => (isCp(l) && i < ls.length - 1 && i > DETECTION ? [i] : []));
      const cut = rng.pick(cps);
      return { lines: ls.slice(0, cut + 1), expect: 'truncated', at: [cut + 1], digest: true };
    },
  };
  for (const n of [60, 300]) {
    it(`${n} records: every tamper class, 6 trials each, found where the full path finds it`, async () => {
      const { lines, digest } = buildVerifiableLog(generateSample({ seed: 40 + n, sessions: Math.ceil(n / 5) + 2 }).slice(0, n) as unknown as Line[], {
        signer: key,
        checkpointEvery: Math.floor(n / 6),
        clock,
      });
      const pub = write(key.publicKeyPem, 'pem');
      const digestFile = write(JSON.stringify(digest), 'json');
      const rng = new Random(n);
      const failures: string[] = [];
      for (const [name, tamper] of Object.entries(tampers)) {
        for (let trial = 0; trial < 6; trial++) {
          const t = tamper(lines, rng);
          const layout = LAYOUTS[trial % LAYOUTS.length];
          const r = await both(write(jsonl(t.lines.map((l) => canonicalLine(l, layout)))), { publicKeys: [pub], ...(t.digest ? { digest: digestFile } : {}) });
          const above = r.findings.filter((f) => f.severity !== 'info');
          const ok = t.at.every((line) => above.some((f) => f.line === line && f.class === t.expect)) && above.every((f) => t.at.includes(f.line));
          if (!ok || r.records.fastPath === 0) failures.push(`${name} (${layout}): expected ${t.expect} at ${t.at}, got ${JSON.stringify(high(r))}, ${r.records.fastPath} taken`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});

describe('integrity fast path: the scanner and its helpers', () => {
  const names = ['hash', 'signature', 'merkle_proof', 'prev_hash', 'seq', 'ts', 'type', 'id'];
  const excluded = names.map((n) => n === 'hash' || n === 'signature' || n === 'merkle_proof');
  const withHash = new CanonicalLineScanner(names, excluded, 'utf16');
  const plain = new CanonicalLineScanner([], [], 'utf16'); // no member left out: accepted text is wholly canonical
  const scanWith = (scanner: CanonicalLineScanner, text: string) => {
    const b = Buffer.from(text, 'utf8');
    scanner.setBuffer(b);
    return scanner.scan(0, b.length);
  };
  const scan = (text: string) => scanWith(withHash, text);

  it('accepts the canonical text of any JSON object, and accepts nothing else that parses to something else (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 });
    const record = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), json, { maxKeys: 8 });
    fc.assert(
      fc.property(record, (rec) => {
        const text = canonicalJson(rec, 'jcs');
        // Left to the full path by design: "__proto__" keys, escaped lone surrogates, escaped top-level keys.
        const skip = text.includes('"__proto__"') || /\\ud[89a-f]/i.test(text) || Object.keys(rec).length === 0 || Object.keys(rec).some((k) => /[\u0000-\u001f"\\]/.test(k));
        if (!skip) assert.ok(scanWith(plain, text), text);
      }),
      { numRuns: 3000 },
    );
    // Mutations of canonical text: whenever one is accepted, it is valid JSON and the canonical text of its value.
    const mutate = fc.tuple(record, fc.nat(), fc.constantFrom(' ', '1.0', '\\u0041', '\\/', '-0', 'e0', ',', '"a":1,', '0', '\\"', 'E', '"', '}', '{', '[', '1', '.5', '\\u00', '\t', 'é', '"a"', ':'));
    fc.assert(
      fc.property(mutate, ([rec, at, ins]) => {
        const text = canonicalJson(rec, 'jcs');
        const p = at % (text.length + 1);
        const m = text.slice(0, p) + ins + text.slice(p);
        // The scanner's caller (jsonlBatches.ts) gives it no line with a byte below 0x20.
        if (/[\u0000-\u001f]/.test(m) || !scanWith(plain, m)) return;
        // The bytes scanned (a lone surrogate the insertion made is written as U+FFFD, as a file would hold it).
        const bytes = Buffer.from(m, 'utf8');
        const read = bytes.toString('utf8');
        assert.ok(Buffer.from(canonicalJson(JSON.parse(read), 'jcs'), 'utf8').equals(bytes), `accepted a non-canonical text: ${read}`);
      }),
      { numRuns: 10000 },
    );
  });

  it('refuses duplicate keys, whitespace, out-of-order keys and non-canonical numbers and escapes', () => {
    for (const ok of ['{"a":1}', '{"a":[1,{"b":null}],"b":"x"}', '{"a":0.5,"b":-1e-7,"c":1e+21}', '{"a":"\\u0000\\n\\"\\\\"}', '{"hash":"x","a":1}', '{"a":1,"hash":"x"}']) {
      assert.equal(scan(ok), true, ok);
    }
    for (const bad of ['{"a":1,"a":1}', '{"b":1,"a":1}', '{"a": 1}', ' {"a":1}', '{"a":1} ', '{"a":1.0}', '{"a":1E+21}', '{"a":-0}', '{"a":01}', '{"a":"\\u000a"}', '{"a":"\\/"}', '{"a":"\\u00e9"}', '{"a":{"c":1,"b":2}}', '{"hash":1,"hash":2}', '{"a":[1,]}', '{"a":tru}', '{}', '{"a":1}x', '{"__proto__":1}']) {
      assert.equal(scan(bad), false, bad);
    }
  });

  it('decodeHex without a regular expression reads exactly what the regular expression allowed (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFgG xé\u0000'.split('')), maxLength: 70 }), (s) => {
        const expected = s.length > 0 && s.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(s) ? Buffer.from(s, 'hex') : null;
        assert.deepEqual(decodeHex(s), expected);
      }),
      { numRuns: 5000 },
    );
  });

  it('isoMillis is Date.parse for every text it reads (property)', () => {
    const pad = (v: number, n: number) => String(v).padStart(n, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 61 }), fc.integer({ min: 0, max: 999 }), (y, mo, d, h, mi, s, ms) => {
        const t = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
        const b = Buffer.from(t);
        const got = isoMillis(b, 0, b.length);
        if (!Number.isNaN(got)) assert.equal(got, Date.parse(t), t);
        else assert.ok(y < 1000 || d > 28 || d < 1 || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59, t);
      }),
      { numRuns: 20000 },
    );
  });
});

describe('integrity fast path: JSON Lines read as raw bytes', () => {
  async function viaBatches(file: string, opts: { maxLineBytes?: number; chunkBytes?: number; buffers?: ChunkBuffers }): Promise<ReadEvent[]> {
    const out: ReadEvent[] = [];
    for await (const item of readJsonlBatches(file, opts)) {
      if ('event' in item) out.push(item.event);
      else {
        const b = item.batch;
        for (let k = 0; k < b.count; k++) {
          const line = b.first + k;
          const off = b.base + b.start[k];
          out.push((b.flags[k] & LINE_OVERSIZE) !== 0 ? oversizeEvent(line, off, b.length[k], opts.maxLineBytes ?? 64 * 1024 * 1024) : lineEvent(b.buf, b.start[k], b.end[k], line, off, b.length[k]));
        }
      }
    }
    return out;
  }
  async function viaReader(file: string, opts: { maxLineBytes?: number; chunkBytes?: number }): Promise<ReadEvent[]> {
    const out: ReadEvent[] = [];
    for await (const ev of readJsonl(file, { maxValueBytes: opts.maxLineBytes, chunkBytes: opts.chunkBytes })) out.push(ev);
    return out;
  }
  const contents: [string, Buffer][] = [
    ['plain', Buffer.from('{"a":1}\n{"b":2}\n')],
    ['CRLF, blank and whitespace-only lines', Buffer.from('{"a":1}\r\n\r\n   \n\t\n{"b":2}\r\n\r')],
    ['BOM on the first and a later line', Buffer.from('\ufeff{"a":1}\n\ufeff{"b":2}\n\ufeff\n')],
    ['bad JSON, no final newline', Buffer.from('{"a":1}\n{"b":\n[1,2]\nnot json\n{"c":"last"}')],
    ['long lines across reads, and one over the limit', Buffer.from(`{"a":"${'x'.repeat(300)}"}\n{"b":"${'y'.repeat(90)}"}\n{"c":1}\n${'z'.repeat(500)}\n{"d":"${'é'.repeat(40)}"}\n`)],
    ['invalid UTF-8 and control bytes', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}\n{"b":"\u0001\u0002"}\n{"c":"ok"}\n')])],
    ['only a CR', Buffer.from('\r')],
    ['empty', Buffer.alloc(0)],
    ['an oversize last line', Buffer.from(`{"a":1}\n${'w'.repeat(400)}`)],
  ];

  it("gives exactly readJsonl's events, for any read size, gzip or not", async () => {
    for (const [name, content] of contents) {
      for (const gz of [false, true]) {
        const file = write(gz ? zlib.gzipSync(content) : content, gz ? 'jsonl.gz' : 'jsonl');
        for (const opts of [{}, { chunkBytes: 7 }, { chunkBytes: 64, maxLineBytes: 200 }, { chunkBytes: 1000, maxLineBytes: 120 }]) {
          assert.deepEqual(await viaBatches(file, opts), await viaReader(file, opts), `${name}${gz ? ' (gzip)' : ''} ${JSON.stringify(opts)}`);
        }
      }
    }
  });

  it('a gzip stream that breaks off: the same lines as readJsonl, then the same skip', async () => {
    // Where the break is reported depends on timing in both readers (openByteStream drops what the decompressor had
    // not handed on when its error arrives; a slow consumer sees fewer lines), so the lines both read are compared.
    const content = Buffer.from(Array.from({ length: 3000 }, (_, i) => `{"n":${i},"t":"${'abc'.repeat(i % 50)}"}`).join('\n'));
    const gz = zlib.gzipSync(content);
    const file = write(gz.subarray(0, Math.floor(gz.length * 0.6)), 'jsonl.gz');
    for (const opts of [{}, { chunkBytes: 999 }]) {
      const a = await viaBatches(file, opts);
      const b = await viaReader(file, opts);
      const [endA, endB] = [a[a.length - 1], b[b.length - 1]];
      assert.ok(endA.kind === 'skip' && endB.kind === 'skip');
      assert.equal(endA.reason, endB.reason);
      const n = Math.min(a.length, b.length) - 1;
      assert.deepEqual(a.slice(0, n), b.slice(0, n));
    }
  });

  it('marks lines with a control byte or invalid UTF-8 not clean, and hands every byte of the file over once, in order', async () => {
    const [, content] = contents[5];
    const big = Buffer.concat([content, Buffer.from(`{"long":"${'q'.repeat(5000)}"}\n`), content, Buffer.from('{"x":1}')]);
    const file = write(big);
    const released: Buffer[] = [];
    let out = 0;
    const buffers: ChunkBuffers = {
      acquire: async (min) => {
        out += 1;
        return Buffer.allocUnsafeSlow(Math.max(min, 64));
      },
      release: (buf, from, to) => {
        released.push(Buffer.from(buf.subarray(from, to)));
        out -= 1;
      },
      discard: () => {
        out -= 1;
      },
    };
    const flags: number[] = [];
    for await (const item of readJsonlBatches(file, { chunkBytes: 64, buffers })) {
      if ('batch' in item) for (let k = 0; k < item.batch.count; k++) flags.push(item.batch.flags[k] & LINE_CLEAN);
    }
    assert.deepEqual(Buffer.concat(released), big);
    assert.equal(out, 0, 'every buffer given back');
    assert.deepEqual(flags, [0, 0, LINE_CLEAN, LINE_CLEAN, 0, 0, LINE_CLEAN]);
  });
});

describe('integrity fast path: large logs, with the worker thread', function () {
  this.timeout(120_000);
  const saved = workerTuning.minBytes;
  before(() => (workerTuning.minBytes = 0)); // every file counts as large: the worker runs
  after(() => (workerTuning.minBytes = saved));
  const cores = (os.availableParallelism?.() ?? os.cpus().length) >= 2;
  const sample = buildVerifiableLog(generateSample({ seed: 21, sessions: 60 }) as unknown as Line[]).lines;
  const canonical = jsonl(sample.map((l) => canonicalLine(l)));

  it('a clean log: one pass, record hashes confirmed on the worker, the export SHA-256 read there, no Merkle root unless asked', async () => {
    const file = write(canonical);
    const r = await both(file);
    assert.equal(r.verdict, 'verified');
    assert.equal(r.exportSha256, sha256(fs.readFileSync(file)));
    assert.equal(r.merkle, null, 'nothing needed the tree');
    if (cores) assert.deepEqual(r.passes, [{ worker: true, leaves: 'none', hashOnWorker: true }]);
    assert.equal(r.records.fastPath, sample.length - DETECTION);
    const small = await (async () => {
      workerTuning.minBytes = saved;
      try {
        return await verifyIntegrity(file);
      } finally {
        workerTuning.minBytes = 0;
      }
    })();
    const asked = await both(file, { merkleRoot: true });
    assert.equal(asked.merkle?.root, small.merkle?.root, 'the root from the worker is the tree of this thread');
    assert.equal(asked.merkle?.treeSize, sample.length);
    if (cores) assert.equal(asked.passes[0].leaves, 'worker');
  });

  it('a record changed without its hash: the pass is read again with every hash computed here; findings as the full path', async () => {
    const lines = canonical.split('\n');
    assert.ok(lines[250].includes('"ts":"2026'));
    lines[250] = lines[250].replace(/"ts":"2026/, '"ts":"2027');
    const r = await both(write(lines.join('\n')));
    assert.deepEqual(high(r), [[251, 'modified']]);
    if (cores) assert.deepEqual(r.passes.map((p) => p.hashOnWorker), [true, false]);
  });

  it('checkpoints in the log: read again with the Merkle tree here; checkpoints and root as on the full path', async () => {
    const { lines, digest } = buildVerifiableLog(generateSample({ seed: 22, sessions: 40 }) as unknown as Line[], { signer: key, checkpointEvery: 50, clock });
    const pub = write(key.publicKeyPem, 'pem');
    const file = write(jsonl(lines.map((l) => canonicalLine(l))));
    const r = await both(file, { publicKeys: [pub] });
    assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
    assert.ok(r.checkpoints.verified > 0);
    assert.ok(r.merkle?.root);
    if (cores) assert.deepEqual(r.passes.map((p) => p.leaves), ['none', 'thread']);
    const d = await both(file, { publicKeys: [pub], digest: write(JSON.stringify(digest as TreeHeadJson), 'json') });
    assert.equal(d.digest.status, 'verified');
    if (cores) assert.deepEqual(d.passes.map((p) => p.leaves), ['thread'], 'a digest wants the tree from the start');
  });

  it('gzip, several files, and a log that is not canonical', async () => {
    const lines = canonical.trimEnd().split('\n');
    const a = write(lines.slice(0, 100).join('\n') + '\n');
    const b = write(zlib.gzipSync(lines.slice(100).join('\n') + '\n'), 'jsonl.gz');
    const r = await both([a, b]);
    assert.equal(r.verdict, 'verified');
    assert.equal(r.files[0].sha256, sha256(fs.readFileSync(a)));
    assert.equal(r.files[1].sha256, sha256(fs.readFileSync(b)));
    const plain = await both(write(jsonl(sample.map(reversedLine))));
    assert.equal(plain.verdict, 'verified');
    assert.equal(plain.records.fastPath, 0);
  });

  it('aborting stops the pass and its worker', async () => {
    const big = buildVerifiableLog(generateSample({ seed: 23, sessions: 300 }) as unknown as Line[]).lines;
    const ac = new AbortController();
    await assert.rejects(
      verifyIntegrity(write(jsonl(big.map((l) => canonicalLine(l)))), { signal: ac.signal, onProgress: () => ac.abort() }),
      (err: Error) => err.name === 'AbortError',
    );
  });

  it("the worker's Merkle root is merkle.ts's root for 0 to 40 leaves", async () => {
    if (!cores) return;
    for (let n = 0; n <= 40; n++) {
      const w = new ChunkWorker(1024);
      try {
        const texts = Array.from({ length: n }, (_, i) => Buffer.from(`{"i":${i}${'x'.repeat(i * 7)}}`));
        for (const t of texts) w.leafText(t);
        const res = await w.finish(true);
        assert.equal(res.size, n);
        assert.equal(res.root, merkleRoot(texts.map((t) => leafHash(t))).toString('hex'), `${n} leaves`);
      } finally {
        w.stop();
      }
    }
  });
});

// verifyIntegrity end to end on files: every container format the readers take (JSON Lines, JSON array, CSV, gzip,
// a log split over several files), malformed lines, partial chains, logs without a chain, time order, progress and
// cancellation, and the JSON / Markdown renderings of the report.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { generateSample, toJsonl } from '../../src/core/sample/generateSample';
import { toCsv, toJsonArray } from '../../src/core/sample/exportFormats';
import { escapeMarkdown, reportToJson, reportToMarkdown, reportToText } from '../../src/core/integrity/report';
import { buildVerifiableLog, generateSigningKey } from '../../src/core/integrity/sign';
import { verifyIntegrity } from '../../src/core/integrity/verify';

type Line = Record<string, unknown>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-integrity-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};
const findings = (r: Awaited<ReturnType<typeof verifyIntegrity>>) => r.findings.map((f) => [f.line, f.class, f.severity]);
const key = generateSigningKey('ed25519');
const clock = () => '2026-11-02T12:00:00.000Z';
const signed = buildVerifiableLog(generateSample({ seed: 11, sessions: 8 }) as unknown as Line[], { signer: key, checkpointEvery: 10, clock });

describe('integrity: verifying files', () => {
  it('verifies the committed sample (the project\'s own chain) and reports the file\'s SHA-256', async () => {
    const file = path.resolve(__dirname, '..', '..', '..', 'samples', 'sample.audit.jsonl');
    const r = await verifyIntegrity(file, { now: () => new Date('2026-11-22T10:00:00Z') });
    assert.equal(r.verdict, 'verified');
    assert.equal(r.profile?.name, 'jcs-sha256');
    assert.equal(r.records.chain, r.records.hashesMatched);
    assert.equal(r.sequence, 'consecutive');
    assert.equal(r.exportSha256, createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    assert.equal(r.verifiedAt, '2026-11-22T10:00:00.000Z');
    assert.equal(r.merkle?.treeSize, r.records.chain);
  });

  for (const [format, content] of [
    ['jsonl', toJsonl(signed.lines)],
    ['json-array', toJsonArray(signed.lines)],
    ['csv', toCsv(signed.lines)],
  ] as const) {
    it(`reads ${format}, plain and gzip-compressed, with the same result`, async () => {
      for (const gz of [false, true]) {
        const body = gz ? zlib.gzipSync(content) : Buffer.from(content);
        const file = write(`log.${format}${gz ? '.gz' : ''}`, body);
        const r = await verifyIntegrity(file, { publicKeys: [key.publicKeyPem] });
        assert.equal(r.files[0].format, format);
        assert.equal(r.files[0].compressed, gz);
        assert.equal(r.files[0].sha256, createHash('sha256').update(body).digest('hex'));
        assert.equal(r.verdict, 'verified', JSON.stringify(r.findings));
        assert.equal(r.records.chain, signed.writer.count);
        assert.equal(r.merkle?.root, signed.writer.merkleRoot);
        assert.equal(r.lastVerifiedCheckpoint?.recordCount, signed.writer.count);
      }
    });
  }

  it('reports a record changed in a CSV export at the row\'s line', async () => {
    const lines = signed.lines.map((l) => ({ ...l }));
    const i = lines.findIndex((l, n) => n > 5 && l.type === 'llm.call');
    lines[i].model = 'gpt-4o-2099';
    const r = await verifyIntegrity(write('edited.csv', toCsv(lines)), { publicKeys: [key.publicKeyPem] });
    assert.deepEqual(findings(r).filter((f) => f[2] !== 'info'), [[i + 2, 'modified', 'high']], 'line 1 is the header');
    assert.equal(r.findings.find((f) => f.class === 'modified')?.recordId, lines[i].id);
  });

  it('verifies a log split over several files as one, naming the file in findings', async () => {
    const lines = signed.lines.map((l) => ({ ...l }));
    const a = write('part1.jsonl', toJsonl(lines.slice(0, 30)));
    lines[40].detail = 'edited';
    const b = write('part2.jsonl', toJsonl(lines.slice(30)));
    const r = await verifyIntegrity([a, b], { publicKeys: [key.publicKeyPem] });
    const high = r.findings.filter((f) => f.severity === 'high');
    assert.deepEqual(high.map((f) => [f.file, f.line, f.class]), [[b, 11, 'modified']]);
    assert.equal(r.files.length, 2);
  });

  it('a malformed line is unverifiable at that line, and the chain around it is not blamed', async () => {
    const text = toJsonl(signed.lines).split('\n');
    text[6] = '{"seq": 7, "truncated json';
    const r = await verifyIntegrity(write('malformed.jsonl', text.join('\n')), { publicKeys: [key.publicKeyPem] });
    assert.equal(r.verdict, 'unverifiable');
    assert.deepEqual(findings(r).filter((f) => f[2] !== 'info'), [[7, 'unverifiable', 'medium']]);
    assert.match(r.findings.find((f) => f.line === 7)!.message, /the reader skipped this line \(invalid JSON/);
    assert.equal(r.records.skippedLines, 1);
  });

  it('a value that is not an object is unverifiable; a garbage line added between records breaks nothing else', async () => {
    const text = toJsonl(signed.lines).split('\n');
    text.splice(3, 0, '[1, 2, 3]', 'not json at all');
    const r = await verifyIntegrity(write('extra.jsonl', text.join('\n')), { publicKeys: [key.publicKeyPem] });
    assert.deepEqual(findings(r), [
      [4, 'unverifiable', 'medium'],
      [5, 'unverifiable', 'medium'],
    ]);
  });

  it('an export that starts mid-chain is a partial chain (info), verified from there on', async () => {
    const r = await verifyIntegrity(write('partial.jsonl', toJsonl(signed.lines.slice(25))), { publicKeys: [key.publicKeyPem] });
    assert.equal(r.verdict, 'partial');
    assert.deepEqual(findings(r), [[1, 'partial-chain', 'info']]);
    assert.equal(r.lastVerifiedCheckpoint?.recordCount, signed.writer.count, 'checkpoints are placed by their last hash');
  });

  it('a log without a hash chain says so', async () => {
    const r = await verifyIntegrity(write('plain.jsonl', '{"a":1}\n{"a":2}\n'));
    assert.equal(r.verdict, 'no-chain');
    assert.equal(r.profile, null);
    assert.equal(r.records.chain, 2);
    assert.match(r.summary, /No hash chain: no hash chain found/);
  });

  it('timestamps going back on an intact chain are info (the producer wrote that order)', async () => {
    const recs = generateSample({ seed: 3, sessions: 2 }).slice(0, 8) as unknown as Line[];
    [recs[3].ts, recs[4].ts] = [recs[4].ts, recs[3].ts];
    const r = await verifyIntegrity({ values: buildVerifiableLog(recs).lines });
    assert.equal(r.verdict, 'verified');
    assert.deepEqual(findings(r), [[5, 'reordered', 'info']]);
    assert.match(r.findings[0].message, /the timestamp goes back \d+ ms/);
  });

  it('can require signed checkpoints', async () => {
    const r = await verifyIntegrity({ values: buildVerifiableLog(generateSample({ sessions: 1 }) as unknown as Line[]).lines }, { requireCheckpoints: true });
    assert.equal(r.verdict, 'unverifiable');
    assert.match(r.findings[0].message, /signed checkpoints are required/);
  });

  it('reports progress and stops when aborted', async () => {
    const big = buildVerifiableLog(generateSample({ seed: 1, sessions: 700 }) as unknown as Line[]).lines;
    const file = write('big.jsonl', toJsonl(big));
    const seen: number[] = [];
    const r = await verifyIntegrity(file, { onProgress: (p) => seen.push(p.records) });
    assert.equal(r.verdict, 'verified');
    assert.ok(seen.length >= 4, `progress calls: ${seen.length}`);
    assert.equal(seen[seen.length - 1], big.length);
    const ac = new AbortController();
    await assert.rejects(
      verifyIntegrity(file, { signal: ac.signal, onProgress: () => ac.abort() }),
      (err: Error) => err.name === 'AbortError',
    );
    await assert.rejects(verifyIntegrity(path.join(dir, 'missing.jsonl')), /ENOENT/);
  });
});

describe('integrity: report renderings', () => {
  const lines = signed.lines.map((l) => ({ ...l }));
  lines[3].id = 'evt|<script>alert(1)</script>\n| injected | row |';
  lines[3].detail = 'edited';
  let report: Awaited<ReturnType<typeof verifyIntegrity>>;
  before(async () => {
    report = await verifyIntegrity({ values: lines, name: 'evil|name<b>.jsonl' }, { publicKeys: [key.publicKeyPem] });
  });

  it('JSON holds the whole report', () => {
    assert.deepEqual(JSON.parse(reportToJson(report)), JSON.parse(JSON.stringify(report)));
  });

  it('Markdown has the verdict, the export hash, profile, keys, time and an escaped findings table', () => {
    const md = reportToMarkdown(report);
    assert.match(md, /\*\*Verdict: ❌ Tampered\*\*/);
    assert.match(md, /\| Profile \| `jcs-sha256` \(hex\)/);
    assert.ok(md.includes(key.keyId), 'public key fingerprint');
    assert.match(md, /\| Verified at \| `\d{4}-\d\d-\d\dT/);
    assert.ok(!/<script>|<b>/.test(md), 'no raw HTML from log content');
    assert.ok(md.includes('&lt;script&gt;'));
    const row = md.split('\n').find((l) => l.startsWith('| ') && l.includes('| modified |'))!;
    assert.ok(row, md);
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 9, 'nine cells: the pipes and newline in the record id are escaped');
    assert.ok(row.includes('evt\\|&lt;script&gt;alert(1)&lt;/script&gt; ⏎ \\| injected \\| row \\|'), row);
  });

  it('escapeMarkdown neutralises links, emphasis, code, pipes, HTML and line breaks', () => {
    const out = escapeMarkdown('[x](javascript:alert(1)) *b* `c` a|b <img src=x>\r\nnext');
    assert.equal(out, '\\[x\\](javascript:alert(1)) \\*b\\* \\`c\\` a\\|b &lt;img src=x&gt; ⏎ next');
  });

  it('plain text lists the findings with their lines', () => {
    const text = reportToText(report);
    assert.match(text, /^Tampered: /);
    assert.match(text, /line 4 +high +modified/);
  });
});

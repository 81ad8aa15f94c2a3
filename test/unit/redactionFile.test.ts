import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { GENESIS_HASH, chainRecords, recordHash } from '../../src/core/integrity/hashChain';
import type { ContainerFormat } from '../../src/core/ingest/detectFormat';
import { READERS } from '../../src/core/ingest/readers';
import { CopyRefusedError, redactFile } from '../../src/core/redaction/redactFile';
import { scanFile } from '../../src/core/redaction/scanFile';
import { REDACTION_MODES } from '../../src/core/redaction/types';
import { toCsv, toJsonArray } from '../../src/core/sample/exportFormats';
import { generateSample, toJsonl } from '../../src/core/sample/generateSample';

const repo = path.resolve(__dirname, '..', '..', '..');
const KEY = Buffer.from('a test key that is long enough!!');
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7f3kq9\nZ2x0aGVyZWlzbm9rZXk=\n-----END RSA PRIVATE KEY-----';

/** Every type the export below holds (each must be found in every format). */
const PLANTED = ['email', 'phone', 'credit_card', 'iban', 'ssn', 'ipv4', 'ipv6', 'mac', 'dob', 'aws_access_key', 'aws_secret_key', 'openai_key', 'anthropic_key', 'github_token', 'slack_token', 'stripe_key', 'jwt', 'private_key', 'secret'];

/** The sample export plus records with every detector's kind of value in every scope, re-chained. */
function exportRecords(): Record<string, unknown>[] {
  const sample = generateSample({ sessions: 8 }) as unknown as Record<string, unknown>[];
  const base = { schema: 'auditlens/1', session_id: 'sess_extra', user_id: 'u_extra', environment: 'production' };
  let seq = sample.length;
  const next = (r: Record<string, unknown>): Record<string, unknown> => ({ ...base, seq: ++seq, id: `evt_x${seq}`, ts: `2026-11-03T10:00:${String(seq % 60).padStart(2, '0')}.000Z`, ...r });
  const extra = [
    next({
      type: 'llm.call',
      messages: [
        { role: 'system', content: 'Escalations go to oncall@example.net or +44 20 7946 0958.' },
        { role: 'user', content: 'Key AKIAIOSFODNN7EXAMPLE, aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY, I was born on 12 April 1985, my IP is 203.0.113.7' },
      ],
      response: { role: 'assistant', content: 'I mailed bob@example.org and charged 5555 5555 5555 4444, ok?' },
      tool_calls: [{ name: 'crm_update', arguments: { api_key: 'Zx9Qm2Lp8Rt4Vw7Yb3Nc6Hd1', email: 'ops@example.net' }, result: { token: JWT } }],
      retrieval: [{ document_id: 'doc_x', chunk_id: 'doc_x#1', score: 0.8, text: 'Payee IBAN GB82 WEST 1234 5698 7654 32, SSN 219-09-9999, device 00:1A:2B:3C:4D:5E at fe80::1ff:fe23:4567:890a' }],
      signature: 'c2lnbmF0dXJlLW92ZXItdGhlLW9yaWdpbmFs',
    }),
    next({
      type: 'system.config_change',
      actor: 'u_admin',
      detail: `rotated ghp_0123456789abcdefghijABCDEFGHIJ012345 xoxb-1234567890-0987654321-abcdefghijABCDEFGHIJ sk_live_4eC39HqLyjWDarjtT1zdp7dc`,
      change: { key: 'llm_keys', before: 'sk-ant-api03-abcdefghij1234567890ABCDEFGHIJ-xyz_AA', after: 'sk-proj-abcDEF1234567890abcdefGHIJKLmnop' },
    }),
    next({ type: 'system.document_upload', actor: 'u_admin', document: { id: 'doc_keys', name: 'keys.txt', bytes: 42 }, detail: `uploaded a key "${PEM}" by mistake; reach jane.doe@example.com` }),
  ];
  const all = [...sample, ...extra].map((r: Record<string, unknown>) => {
    const { hash: _h, prev_hash: _p, ...rest } = r;
    return rest;
  });
  return chainRecords(all);
}

interface Input {
  name: string;
  file: string;
  format: ContainerFormat;
}

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-redaction-'));
}

/** The export written as JSON Lines, JSON array and CSV, each plain and gzip. */
function writeInputs(dir: string): Input[] {
  const records = exportRecords();
  const texts: [string, ContainerFormat, string][] = [
    ['export.jsonl', 'jsonl', toJsonl(records)],
    ['export.json', 'json-array', toJsonArray(records)],
    ['export.csv', 'csv', toCsv(records)],
  ];
  const out: Input[] = [];
  for (const [name, format, text] of texts) {
    fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(text));
    out.push({ name, file: path.join(dir, name), format }, { name: `${name}.gz`, file: path.join(dir, `${name}.gz`), format });
  }
  return out;
}

/** The output as text (gunzipped when gzip). */
function outputText(file: string): string {
  const bytes = fs.readFileSync(file);
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

async function readValues(file: string, format: ContainerFormat): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const ev of READERS[format](file)) {
    assert.equal(ev.kind, 'value', `${file}: ${JSON.stringify(ev)}`);
    if (ev.kind === 'value') out.push(ev.value as Record<string, unknown>);
  }
  return out;
}

/** Asserts prev_hash links and hash values over the records (the hashChain.ts profile). */
function assertChain(records: Record<string, unknown>[]): void {
  let prev = GENESIS_HASH;
  records.forEach((r, i) => {
    assert.equal(r.prev_hash, prev, `record ${i}: prev_hash`);
    assert.equal(r.hash, recordHash(r), `record ${i}: hash`);
    prev = r.hash as string;
  });
}

describe('redacted copies', function () {
  this.timeout(60_000);
  const dir = tmpDir();
  const inputs = writeInputs(dir);

  it('contain none of the detected values, in every mode and container format, and leave the input unchanged', async () => {
    for (const input of inputs) {
      const before = fs.readFileSync(input.file);
      const scan = await scanFile(input.file);
      assert.deepEqual(Object.keys(scan.counts.byType).filter((t) => PLANTED.includes(t)).sort(), [...PLANTED].sort(), `${input.name}: every planted type is found`);
      const values = [...new Set(scan.findings.map((f) => f.value))];
      for (const mode of REDACTION_MODES) {
        const out = path.join(dir, `${mode}-${input.name}`);
        const summary = await redactFile(input.file, out, { mode, key: KEY });
        assert.equal(summary.format, input.format);
        assert.equal(summary.findings.total, scan.counts.total, `${input.name} ${mode}: same findings as the scan`);
        assert.equal(summary.recordsWritten, scan.records);
        assert.equal(summary.compressed, input.name.endsWith('.gz'));
        const bytes = fs.readFileSync(out);
        assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, summary.compressed, 'gzip in, gzip out');
        const text = outputText(out);
        for (const v of values) {
          for (const form of new Set([v, JSON.stringify(v).slice(1, -1), v.replace(/"/g, '""'), JSON.stringify(JSON.stringify(v).slice(1, -1)).slice(1, -1)])) {
            assert.ok(!text.includes(form), `${input.name} ${mode}: "${form}" leaked`);
          }
        }
        const rescan = await scanFile(out);
        assert.deepEqual(rescan.counts.byType, {}, `${input.name} ${mode}: a re-scan finds only placeholders`);
        assert.equal(summary.outputSha256, sha256(out));
      }
      assert.ok(fs.readFileSync(input.file).equals(before), `${input.name}: input bytes unchanged`);
    }
  });

  it('re-chains a hash-chained input; JSON copies start with a header linked to the original SHA-256', async () => {
    for (const input of inputs) {
      const out = path.join(dir, `chained-${input.name}`);
      const summary = await redactFile(input.file, out, { mode: 'tag' });
      assert.equal(summary.integrity, 'rechained');
      assert.equal(summary.rechained, true);
      assert.equal(summary.originalSha256, sha256(input.file));
      const records = await readValues(out, input.format);
      assertChain(records);
      if (input.format === 'csv') {
        assert.equal(summary.integrityHeader, false);
        assert.equal(records.length, summary.recordsWritten);
      } else {
        assert.equal(summary.integrityHeader, true);
        assert.deepEqual(
          { type: records[0].type, original_sha256: records[0].original_sha256, redaction_mode: records[0].redaction_mode, integrity: records[0].integrity },
          { type: 'integrity.redacted_copy', original_sha256: summary.originalSha256, redaction_mode: 'tag', integrity: 'rechained' },
        );
        assert.equal(records.length, summary.recordsWritten + 1);
      }
      assert.equal(summary.signaturesRemoved, 1);
      assert.ok(!outputText(out).includes('c2lnbmF0dXJlLW92ZXItdGhlLW9yaWdpbmFs'), 'the stale signature is gone');
    }
  });

  it('keeps the CSV header order and the JSON array layout', async () => {
    const csv = inputs.find((i) => i.name === 'export.csv')!;
    const out = path.join(dir, 'layout.csv');
    await redactFile(csv.file, out, { mode: 'mask' });
    const header = (t: string) => t.slice(0, t.indexOf('\n'));
    assert.equal(header(outputText(out)), header(fs.readFileSync(csv.file, 'utf8')));
    assert.ok(outputText(out).includes('\r\n'), 'CRLF like the input');
    const json = inputs.find((i) => i.name === 'export.json')!;
    const outJson = path.join(dir, 'layout.json');
    await redactFile(json.file, outJson, { mode: 'mask' });
    const parsed = JSON.parse(outputText(outJson)) as unknown[];
    assert.equal(outputText(outJson), JSON.stringify(parsed, null, 2) + '\n', 'two-space indented like toJsonArray');
  });

  it('reads a CSV the way the reader does: a blank line before the header, LF line ends, quoted newlines', async () => {
    const input = path.join(dir, 'lf.csv');
    fs.writeFileSync(input, '\nname,messages,note\nAda,"[{""role"":""user"",""content"":""mail ada@example.com""}]","two\nlines, +1 555 013 4477"\n');
    const out = path.join(dir, 'lf-out.csv');
    const summary = await redactFile(input, out, { mode: 'tag' });
    assert.equal(summary.recordsWritten, 1);
    assert.equal(summary.blankLines, 1);
    assert.equal(outputText(out), 'name,messages,note\nAda,"[{""role"":""user"",""content"":""mail [EMAIL_1]""}]","two\nlines, [PHONE_1]"\n');
  });

  it('with rechain: false removes hash and prev_hash and says so', async () => {
    for (const input of inputs.filter((i) => !i.name.endsWith('.gz'))) {
      const out = path.join(dir, `unchained-${input.name}`);
      const summary = await redactFile(input.file, out, { mode: 'mask', rechain: false });
      assert.equal(summary.integrity, 'removed');
      assert.equal(summary.rechained, false);
      assert.match(summary.integrityNote, /removed/);
      const records = await readValues(out, input.format);
      assert.ok(records.every((r) => !('hash' in r) && !('prev_hash' in r) && !('signature' in r)));
      if (input.format === 'csv') assert.ok(!/(^|,)(prev_)?hash(,|\r?\n)/.test(outputText(out).split('\n')[0]));
      else assert.equal(records[0].integrity, 'removed');
    }
  });

  it('an input without a chain gets none (OTLP JSON Lines), with the header record first', async () => {
    const out = path.join(dir, 'otlp.jsonl');
    const summary = await redactFile(path.join(repo, 'test', 'fixtures', 'otel', 'logs.otlp.jsonl'), out, { mode: 'tag' });
    assert.equal(summary.integrity, 'none');
    assert.ok(summary.findings.total > 0);
    const lines = outputText(out).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines[0].type, 'integrity.redacted_copy');
    assert.ok(lines.every((l) => !('hash' in l)));
    assert.ok(!outputText(out).includes('jane.doe@example.com'));
  });

  it('drops unreadable lines (their content cannot be redacted) and lists them with the reason', async () => {
    const input = path.join(dir, 'broken.jsonl');
    fs.writeFileSync(input, '{"msg":"hello jane.doe@example.com"}\n{"msg": "cut off, call +1 555 013 4477\n\n{"msg":"fine"}\n');
    const out = path.join(dir, 'broken-out.jsonl');
    const summary = await redactFile(input, out, { mode: 'mask' });
    assert.equal(summary.recordsRead, 2);
    assert.equal(summary.skippedCount, 1);
    assert.equal(summary.skipped[0].line, 2);
    assert.match(summary.skipped[0].reason, /invalid JSON/);
    assert.equal(summary.blankLines, 1);
    assert.equal(outputText(out).split('\n').filter((l) => l !== '').length, 3, 'header + 2 records');
    assert.ok(!outputText(out).includes('555 013'));
  });

  it('drops a record nested too deep to walk (it cannot be checked) and says why', async () => {
    const deep = '['.repeat(5000) + '"jane.doe@example.com"' + ']'.repeat(5000); // JSON.parse reads it, recursion would not
    const input = path.join(dir, 'deep.jsonl');
    fs.writeFileSync(input, `{"deep":${deep}}\n{"msg":"ok"}\n`);
    const out = path.join(dir, 'deep-out.jsonl');
    const summary = await redactFile(input, out, { mode: 'mask' });
    assert.equal(summary.recordsWritten, 1);
    assert.deepEqual(summary.skipped, [{ line: 1, reason: 'nesting deeper than 1000 levels: not scanned, not copied' }]);
    assert.ok(!outputText(out).includes('jane.doe'));
    const scan = await scanFile(input);
    assert.equal(scan.skippedCount, 1);
    assert.equal(scan.records, 1);
  });

  it('reads and writes a single JSON document (no header record: the link is in the summary)', async () => {
    const input = path.join(dir, 'doc.json');
    const doc = { resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'chat', attributes: [{ key: 'gen_ai.input.messages', value: { stringValue: 'mail jane.doe@example.com' } }] }] }] }] };
    fs.writeFileSync(input, JSON.stringify(doc, null, 2) + '\n');
    const out = path.join(dir, 'doc-out.json');
    const summary = await redactFile(input, out, { mode: 'tag', format: 'json-document' });
    assert.equal(summary.integrityHeader, false);
    const parsed = JSON.parse(outputText(out));
    assert.equal(parsed.resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.stringValue, 'mail [EMAIL_1]');
  });

  it('pseudonyms are consistent across the file', async () => {
    const input = inputs.find((i) => i.name === 'export.jsonl')!;
    const out = path.join(dir, 'pseudo-consistent.jsonl');
    await redactFile(input.file, out, { mode: 'pseudonym', key: KEY });
    const tokens = outputText(out).match(/EMAIL_[0-9a-f]{12}/g)!;
    const scan = await scanFile(input.file, { detect: { types: ['email'] } });
    assert.equal(tokens.length, scan.counts.total);
    assert.equal(new Set(tokens).size, new Set(scan.findings.map((f) => f.value.toLowerCase())).size, 'one token per distinct address');
  });

  it('refuses to write over the input (by path or link), over an existing file without overwrite, or pseudonyms without a key', async () => {
    const input = inputs[0].file;
    await assert.rejects(redactFile(input, input, { mode: 'mask' }), CopyRefusedError);
    const link = path.join(dir, 'hardlink.jsonl');
    fs.linkSync(input, link);
    await assert.rejects(redactFile(input, link, { mode: 'mask', overwrite: true }), /is the input file/);
    const existing = path.join(dir, 'existing.jsonl');
    fs.writeFileSync(existing, 'keep me');
    await assert.rejects(redactFile(input, existing, { mode: 'mask' }), /exists; pass overwrite/);
    assert.equal(fs.readFileSync(existing, 'utf8'), 'keep me');
    const summary = await redactFile(input, existing, { mode: 'mask', overwrite: true });
    assert.equal(summary.outputSha256, sha256(existing));
    await assert.rejects(redactFile(input, path.join(dir, 'nokey.jsonl'), { mode: 'pseudonym' }), /needs a key/);
    await assert.rejects(redactFile(path.join(dir, 'missing.jsonl'), path.join(dir, 'x.jsonl'), { mode: 'mask' }), /no such file/);
    await assert.rejects(redactFile(input, path.join(dir, 'no', 'such', 'dir.jsonl'), { mode: 'mask' }), /does not exist/);
  });

  it('reports progress and, when aborted, removes the partial output', async () => {
    const big = path.join(dir, 'big.jsonl');
    fs.writeFileSync(big, toJsonl(generateSample({ sessions: 600 })));
    const progress: [number, number][] = [];
    const done = await redactFile(big, path.join(dir, 'big-out.jsonl'), { mode: 'mask', onProgress: (r, b) => progress.push([r, b]) });
    assert.ok(progress.length >= 3);
    assert.deepEqual(progress[progress.length - 1], [done.recordsRead, fs.statSync(big).size]);
    assert.ok(progress.every((p, i) => i === 0 || (p[0] >= progress[i - 1][0] && p[1] >= progress[i - 1][1])), 'monotonic');

    const controller = new AbortController();
    const out = path.join(dir, 'aborted.jsonl');
    const run = redactFile(big, out, {
      mode: 'mask',
      signal: controller.signal,
      onProgress: (records) => {
        if (records >= 500) controller.abort();
      },
    });
    await assert.rejects(run, (err: Error) => err.name === 'AbortError');
    assert.ok(!fs.existsSync(out));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.partial-')), []);
  });
});

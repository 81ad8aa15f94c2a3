import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { UsageError, type CliIo } from '../../src/cli/command';
import { redactCommand } from '../../src/cli/commands/redact';
import { scanCommand } from '../../src/cli/commands/scan';

const SECRETS = ['jane.doe@example.com', '4111 1111 1111 1111', '078-05-1120', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'];

function capture(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => (out += t), err: (t) => (err += t), wasmPath: '', stdout: () => out, stderr: () => err };
}

describe('audit-lens scan and redact', function () {
  this.timeout(20_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-redaction-cli-'));
  const file = path.join(dir, 'export.jsonl');
  const clean = path.join(dir, 'clean.jsonl');
  fs.writeFileSync(
    file,
    [
      { session_id: 's1', messages: [{ role: 'user', content: `I am ${SECRETS[0]}, card ${SECRETS[1]}` }] },
      { session_id: 's1', detail: `SSN ${SECRETS[2]} and ${SECRETS[3]}` },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  fs.writeFileSync(clean, '{"messages":[{"role":"user","content":"Where is my order ORD-123456?"}]}\n');

  it('scan lists findings with line, path, type and a masked value, exit 1; never the values', async () => {
    const io = capture();
    assert.equal(await scanCommand.run([file], io), 1);
    const out = io.stdout();
    assert.match(out, /^line 1\tmessages\[0\]\.content\temail\t0\.97\tj\*\*\*@e\*\*\*\.com$/m);
    assert.match(out, /^line 2\tdetail\tssn\t0\.95\t\*\*\*-\*\*-1120$/m);
    assert.match(out, /4 finding\(s\) in 2 of 2 record\(s\)/);
    for (const s of SECRETS) assert.ok(!out.includes(s), s);
  });

  it('scan --json prints parseable JSON with findings and counts; --types filters; exit 0 when nothing is found', async () => {
    const io = capture();
    assert.equal(await scanCommand.run([file, '--json', '--types', 'email,ssn'], io), 1);
    const report = JSON.parse(io.stdout());
    assert.deepEqual(report.findings.map((f: { type: string; line: number; path: string }) => [f.type, f.line, f.path]), [
      ['email', 1, 'messages[0].content'],
      ['ssn', 2, 'detail'],
    ]);
    assert.equal(report.findings[0].scope, 'prompt');
    assert.equal(report.findings[0].session, 's1');
    assert.deepEqual(report.counts.byType, { email: 1, ssn: 1 });
    for (const s of SECRETS) assert.ok(!io.stdout().includes(s), s);
    const none = capture();
    assert.equal(await scanCommand.run([clean, '--json'], none), 0);
    assert.deepEqual(JSON.parse(none.stdout()).findings, []);
  });

  it('scan: bad arguments are usage errors, a missing file exit 2', async () => {
    await assert.rejects(scanCommand.run([file, '--min-confidence', '2'], capture()), UsageError);
    await assert.rejects(scanCommand.run([file, '--types', 'emial'], capture()), UsageError);
    await assert.rejects(scanCommand.run([], capture()), UsageError);
    const io = capture();
    assert.equal(await scanCommand.run([path.join(dir, 'missing.jsonl')], io), 2);
    assert.match(io.stderr(), /no such file/);
  });

  it('redact writes the copy (mask by default) and prints the summary; the input is unchanged', async () => {
    const before = fs.readFileSync(file);
    const out = path.join(dir, 'out.jsonl');
    const io = capture();
    assert.equal(await redactCommand.run([file, '-o', out], io), 0);
    assert.match(io.stdout(), /wrote .*out\.jsonl \(jsonl, mode mask\): 2 record\(s\), 2 changed, 4 value\(s\) redacted/);
    assert.match(io.stdout(), /integrity: {7}none/);
    const text = fs.readFileSync(out, 'utf8');
    for (const s of SECRETS) assert.ok(!text.includes(s), s);
    assert.ok(fs.readFileSync(file).equals(before));
    const again = capture();
    assert.equal(await redactCommand.run([file, '-o', out], again), 2, 'the copy exists');
    assert.match(again.stderr(), /exists; pass overwrite/);
    assert.equal(await redactCommand.run([file, `--output=${out}`, '--overwrite', '--mode', 'tag', '--json'], capture()), 0);
    assert.match(fs.readFileSync(out, 'utf8'), /\[EMAIL_1\]/);
  });

  it('redact --mode pseudonym needs a key file of 16+ bytes; --no-rechain and gzip pass through', async () => {
    await assert.rejects(redactCommand.run([file, '-o', path.join(dir, 'p.jsonl'), '--mode', 'pseudonym'], capture()), UsageError);
    await assert.rejects(redactCommand.run([file, '--mode', 'mask'], capture()), /-o OUT/);
    await assert.rejects(redactCommand.run([file, '-o', path.join(dir, 'p.jsonl'), '--mode', 'blur'], capture()), UsageError);
    const shortKey = path.join(dir, 'short.key');
    fs.writeFileSync(shortKey, 'too short\n');
    const io = capture();
    assert.equal(await redactCommand.run([file, '-o', path.join(dir, 'p.jsonl'), '--mode', 'pseudonym', '--key-file', shortKey], io), 2);
    assert.match(io.stderr(), /at least 16/);
    const key = path.join(dir, 'good.key');
    fs.writeFileSync(key, 'f'.repeat(64) + '\n');
    const gz = path.join(dir, 'export.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
    const out = path.join(dir, 'p.jsonl.gz');
    const ok = capture();
    assert.equal(await redactCommand.run([gz, '-o', out, '--mode', 'pseudonym', '--key-file', key, '--no-rechain', '--json'], ok), 0);
    const summary = JSON.parse(ok.stdout());
    assert.equal(summary.compressed, true);
    assert.equal(summary.mode, 'pseudonym');
    const text = zlib.gunzipSync(fs.readFileSync(out)).toString('utf8');
    assert.match(text, /EMAIL_[0-9a-f]{12}/);
    for (const s of SECRETS) assert.ok(!text.includes(s), s);
  });
});

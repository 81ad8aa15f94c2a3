// `audit-lens verify`, called through its CliCommand with a capturing io: outputs, options and exit codes
// (0 verified, 1 high/medium findings, 2 bad arguments or unreadable input).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError, type CliIo } from '../../src/cli/command';
import { readKeyFile, verifyCommand } from '../../src/cli/commands/verify';
import { generateSample, toJsonl } from '../../src/core/sample/generateSample';
import { buildVerifiableLog, generateSigningKey } from '../../src/core/integrity/sign';

type Line = Record<string, unknown>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-cli-verify-'));
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
};

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), wasmPath: '' };
  const code = await verifyCommand.run(args, io);
  return { code, out, err };
}

describe('integrity: audit-lens verify', () => {
  const key = generateSigningKey('ecdsa-p256');
  const hmac = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const records = generateSample({ seed: 9, sessions: 5 }) as unknown as Line[];
  const built = buildVerifiableLog(records, { signer: key, checkpointEvery: 8 });
  const log = write('log.audit.jsonl', toJsonl(built.lines));
  const pub = write('signing.pub.pem', key.publicKeyPem);
  const digest = write('log.digest.json', JSON.stringify(built.digest));
  const tamperedLines = built.lines.map((l) => ({ ...l }));
  tamperedLines.splice(4, 1);
  const tampered = write('tampered.jsonl', toJsonl(tamperedLines));
  const keyed = write('keyed.jsonl', toJsonl(buildVerifiableLog(records, { hmacKey: hmac }).lines));
  const keyFile = write('hmac.key', hmac.toString('hex') + '\n');

  it('exit 0 and a one-line verdict for an intact signed log', async () => {
    const r = await run(log, '--public-key', pub, '--digest', digest);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^Verified: \d+ record\(s\), hash chain intact \(jcs-sha256\); signed up to record \d+/);
    assert.match(r.out, /public key sha256:[0-9a-f]{64} \(ecdsa-p256\)/);
  });

  it('exit 1 with the findings for a tampered log, in text, JSON and Markdown', async () => {
    const text = await run(tampered, '--public-key', pub);
    assert.equal(text.code, 1);
    assert.match(text.out, /line 5 +high +deleted/);
    const json = await run(tampered, '--public-key', pub, '--json');
    assert.equal(json.code, 1);
    const report = JSON.parse(json.out);
    assert.equal(report.verdict, 'tampered');
    assert.equal(report.findings.find((f: { severity: string }) => f.severity === 'high').line, 5);
    const md = await run(tampered, '--markdown');
    assert.equal(md.code, 1);
    assert.match(md.out, /^# Integrity report: tampered\.jsonl/);
  });

  it('HMAC chains: --key-file (hex), and exit 1 without it', async () => {
    assert.equal((await run(keyed, '--key-file', keyFile)).code, 0);
    const none = await run(keyed);
    assert.equal(none.code, 1);
    assert.match(none.out, /the HMAC key is needed/);
    assert.deepEqual(readKeyFile(keyFile), hmac);
    assert.deepEqual(readKeyFile(write('b64.key', 'base64:' + hmac.toString('base64'))), hmac);
    assert.deepEqual(readKeyFile(write('raw.key', Buffer.from([1, 2, 250]))), Buffer.from([1, 2, 250]));
  });

  it('--profile takes a name or a JSON profile file, whose paths are relative to it', async () => {
    assert.equal((await run(log, '--profile', 'jcs-sha256')).code, 0);
    const wrong = await run(log, '--profile', 'sorted-ascii-sha512');
    assert.equal(wrong.code, 1);
    assert.match(wrong.out, /unknown profile/);
    const profileDir = fs.mkdtempSync(path.join(dir, 'profile-'));
    fs.copyFileSync(pub, path.join(profileDir, 'key.pem'));
    const profile = path.join(profileDir, '.auditlens.json');
    fs.writeFileSync(profile, JSON.stringify({ integrity: { canonicalization: 'jcs', algorithm: 'sha256', publicKey: 'key.pem', checkpoints: { required: true } } }));
    const r = await run(log, '--profile', profile, '--json');
    assert.equal(r.code, 0, r.out);
    assert.equal(JSON.parse(r.out).checkpoints.verified > 0, true);
  });

  it('exit 2 (usage) for bad arguments, 2 for missing files and unusable profiles', async () => {
    await assert.rejects(run(), UsageError);
    await assert.rejects(run(log, '--json', '--markdown'), UsageError);
    await assert.rejects(run(log, '--format', 'xml'), UsageError);
    await assert.rejects(run(log, '--nope'), UsageError);
    await assert.rejects(run(log, '--profile', 'no-such-profile'), /profile name .* or a JSON file/);
    const badProfile = write('bad-profile.json', JSON.stringify({ integrity: { algorithm: 'md5' } }));
    await assert.rejects(run(log, '--profile', badProfile), /integrity must be|algorithm must be one of/);
    const missing = await run(path.join(dir, 'missing.jsonl'));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /no such file/);
    const notKey = await run(log, '--public-key', log);
    assert.equal(notKey.code, 2);
    assert.match(notKey.err, /not a PEM file/);
  });
});

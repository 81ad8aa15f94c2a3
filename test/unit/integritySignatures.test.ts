// Keys and signatures: Ed25519 and ECDSA P-256 checkpoints (good, corrupted, wrong key, wrong key type, no key),
// digest files (good, truncated log, log that went on, forged digest), HMAC-keyed chains (right, wrong and missing
// key), recomputed chains caught by checkpoints, and inclusion proofs against signed tree heads.
import * as assert from 'node:assert/strict';
import { createHash, sign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSample } from '../../src/core/sample/generateSample';
import { parseTreeHead, type TreeHeadJson } from '../../src/core/integrity/checkpoint';
import { hmacKeyFingerprint, loadPublicKey, publicKeyFingerprint, verifySignature } from '../../src/core/integrity/keys';
import { buildVerifiableLog, generateSigningKey, signTreeHead, VerifiableLogWriter, type SigningKey } from '../../src/core/integrity/sign';
import { verifyIntegrity, type VerifyOptions } from '../../src/core/integrity/verify';
import type { SignatureAlg } from '../../src/core/integrity/keys';

type Line = Record<string, unknown>;
const records = (n: number) => generateSample({ seed: 5, sessions: Math.ceil(n / 5) + 2 }).slice(0, n) as unknown as Line[];
const clock = () => '2026-11-02T12:00:00.000Z';
const findings = (r: Awaited<ReturnType<typeof verifyIntegrity>>) => r.findings.map((f) => [f.line, f.class, f.severity]);
const verify = (lines: Line[], options: VerifyOptions = {}) => verifyIntegrity({ values: lines }, options);
const head = (j: TreeHeadJson) => {
  const p = parseTreeHead(j);
  assert.ok(p.ok);
  return p.head;
};
const cpLines = (lines: Line[]) => lines.flatMap((l, i) => (l.type === 'integrity.checkpoint' ? [i + 1] : []));

for (const alg of ['ed25519', 'ecdsa-p256'] as SignatureAlg[]) {
  describe(`integrity: ${alg} checkpoints`, () => {
    let key: SigningKey;
    let lines: Line[];
    before(() => {
      key = generateSigningKey(alg);
      lines = buildVerifiableLog(records(40), { signer: key, checkpointEvery: 10, clock }).lines;
    });

    it('verifies every checkpoint with the public key (PEM text or key object) and reports its fingerprint', async () => {
      for (const pub of [key.publicKeyPem, key.publicKey]) {
        const r = await verify(lines, { publicKeys: [pub] });
        assert.equal(r.verdict, 'verified');
        assert.deepEqual(r.findings, []);
        assert.equal(r.checkpoints.verified, 4);
        assert.equal(r.lastVerifiedCheckpoint?.recordCount, 40);
        assert.equal(r.lastVerifiedCheckpoint?.line, 44);
        assert.equal(r.lastVerifiedCheckpoint?.keyFingerprint, key.keyId);
        const der = key.publicKey.export({ type: 'spki', format: 'der' });
        assert.equal(r.keys.publicKeys[0].fingerprint, 'sha256:' + createHash('sha256').update(der).digest('hex'));
      }
    });

    it('reports a corrupted signature as bad-signature at the checkpoint line', async () => {
      const bad = lines.map((l) => ({ ...l }));
      const at = cpLines(bad)[1];
      const sig = Buffer.from(bad[at - 1].signature as string, 'base64');
      sig[5] ^= 1;
      bad[at - 1].signature = sig.toString('base64');
      const r = await verify(bad, { publicKeys: [key.publicKeyPem] });
      assert.equal(r.verdict, 'tampered');
      assert.deepEqual(findings(r), [[at, 'bad-signature', 'high']]);
      assert.equal(r.lastVerifiedCheckpoint?.recordCount, 40, 'the later checkpoints still verify');
    });

    it('reports an edited checkpoint (a signed member changed) as bad-signature', async () => {
      const bad = lines.map((l) => ({ ...l }));
      const at = cpLines(bad)[0];
      bad[at - 1].record_count = 9;
      const r = await verify(bad, { publicKeys: [key.publicKeyPem] });
      assert.deepEqual(findings(r), [[at, 'bad-signature', 'high']]);
    });

    it('with another key of the same type every checkpoint is a bad signature', async () => {
      const other = generateSigningKey(alg);
      const r = await verify(lines, { publicKeys: [other.publicKeyPem] });
      const bad = r.findings.filter((f) => f.class === 'bad-signature');
      assert.deepEqual(bad.map((f) => f.line), cpLines(lines));
      assert.match(bad[0].message, /does not verify with public key sha256:/);
      assert.equal(r.lastVerifiedCheckpoint, null);
      assert.deepEqual(findings(r)[0], [1, 'info', 'info'], 'and nothing is covered by a signature');
      assert.match(r.findings[0].message, /40 record\(s\) in the log \(no checkpoint verified\) are not covered/);
    });

    it('picks the key named by key_id among several', async () => {
      const other = generateSigningKey(alg);
      const r = await verify(lines, { publicKeys: [other.publicKeyPem, key.publicKeyPem] });
      assert.equal(r.verdict, 'verified');
      assert.equal(r.lastVerifiedCheckpoint?.keyFingerprint, key.keyId);
    });
  });
}

describe('integrity: keys and signatures', () => {
  const ed = generateSigningKey('ed25519');
  const ec = generateSigningKey('ecdsa-p256');
  const lines = buildVerifiableLog(records(12), { signer: ed, checkpointEvery: 4, clock }).lines;

  it('without a public key the chain is verified and the signatures are said to be unchecked', async () => {
    const r = await verify(lines);
    assert.equal(r.verdict, 'verified');
    assert.deepEqual(findings(r), [[0, 'info', 'info']]);
    assert.match(r.findings[0].message, /3 signed checkpoint\(s\) or digest found; their signatures were not checked: no public key was given/);
    assert.equal(r.checkpoints.consistent, 3);
  });

  it('a key of another algorithm cannot check the checkpoints: unverifiable, not tampered', async () => {
    const r = await verify(lines, { publicKeys: [ec.publicKeyPem] });
    assert.equal(r.verdict, 'unverifiable');
    assert.ok(r.findings.filter((f) => f.class === 'unverifiable').every((f) => /signed with ed25519 and no ed25519 public key was given/.test(f.message)));
  });

  it('a malformed checkpoint record and a signature that is not canonical base64 are reported', async () => {
    const bad = lines.map((l) => ({ ...l }));
    const [a, b] = cpLines(bad);
    delete bad[a - 1].record_count;
    bad[b - 1].signature = (bad[b - 1].signature as string) + '!';
    const r = await verify(bad, { publicKeys: [ed.publicKeyPem] });
    assert.deepEqual(findings(r), [
      [a, 'unverifiable', 'medium'],
      [b, 'bad-signature', 'high'],
    ]);
    assert.match(r.findings[0].message, /record_count must be a whole number/);
    assert.match(r.findings[1].message, /not canonical base64/);
  });

  it('loads keys from PEM files, rejects what is not a key, and accepts DER-encoded ECDSA signatures', () => {
    assert.throws(() => loadPublicKey('/no/such/key.pem'), /cannot read public key file/);
    const notPem = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-keys-')), 'key.txt');
    fs.writeFileSync(notPem, 'ssh-ed25519 AAAA… not a PEM key\n');
    assert.throws(() => loadPublicKey(notPem), /not a PEM file/);
    const info = loadPublicKey(ec.publicKeyPem);
    assert.equal(info.alg, 'ecdsa-p256');
    assert.equal(info.fingerprint, publicKeyFingerprint(ec.publicKey));
    const payload = Buffer.from('payload');
    const der = sign('sha256', payload, ec.privateKey);
    assert.ok(der.length > 64 && der[0] === 0x30, 'DER');
    assert.ok(verifySignature('ecdsa-p256', ec.publicKey, payload, der));
    assert.equal(verifySignature('ed25519', ec.publicKey, payload, der), false, 'key of another type');
  });

  it('a checkpoint claiming more records than precede it, with none after, is truncation', async () => {
    const full = buildVerifiableLog(records(20), { signer: ed, checkpointEvery: 10, clock }).lines;
    // Remove the last three records before the final checkpoint but keep the checkpoint.
    const cut = [...full.slice(0, 18), full[21]];
    const r = await verify(cut, { publicKeys: [ed.publicKeyPem] });
    assert.equal(r.verdict, 'tampered');
    // The records after the first checkpoint are not covered by a verified one any more (info).
    assert.deepEqual(findings(r), [
      [12, 'info', 'info'],
      [19, 'truncated', 'high'],
    ]);
    assert.match(r.findings[1].message, /covers 20 records \(up to seq 20\) but the log ends after 17: the last 3 record\(s\) were removed/);
  });

  it('a log that simply goes on after its last checkpoint is verified, with the uncovered records as info', async () => {
    const w = new VerifiableLogWriter({ signer: ed, checkpointEvery: 5, clock });
    const out = records(13).flatMap((r) => w.append(r));
    const r = await verify(out, { publicKeys: [ed.publicKeyPem] });
    assert.equal(r.verdict, 'verified');
    assert.deepEqual(findings(r), [[13, 'info', 'info']]);
    assert.match(r.findings[0].message, /^3 record\(s\) after the last verified checkpoint \(line 12\) are not covered by a signature$/);
  });

  it('catches a chain recomputed after a change (the hashes all match) at the next signed checkpoint', async () => {
    const recs = records(30);
    const original = buildVerifiableLog(recs, { signer: ed, checkpointEvery: 10, clock }).lines;
    // The attacker edits record 15 and re-chains everything (no key, so the old checkpoints stay).
    const edited = recs.map((r, i) => (i === 14 ? { ...r, detail: 'rewritten' } : r));
    const rechained = buildVerifiableLog(edited, {}).lines;
    const forged = original.map((l) => (l.type === 'integrity.checkpoint' ? l : rechained.shift()!));
    const r = await verify(forged, { publicKeys: [ed.publicKeyPem] });
    assert.equal(r.verdict, 'tampered');
    const high = r.findings.filter((f) => f.severity === 'high');
    assert.equal(high[0].class, 'modified');
    assert.equal(high[0].line, 21, 'record 20, the last one the second checkpoint covers');
    assert.match(high[0].message, /after line 10 \(the last verified checkpoint\) up to here was changed and the chain recomputed/);
    assert.equal(r.lastVerifiedCheckpoint?.recordCount, 10);
  });

  it('without signatures, a deletion with the chain recomputed still shows as a seq gap (medium)', async () => {
    const recs = records(12);
    const lines2 = buildVerifiableLog([...recs.slice(0, 5), ...recs.slice(6)], {}).lines;
    const r = await verify(lines2);
    assert.deepEqual(findings(r), [[6, 'deleted', 'medium']]);
    assert.match(r.findings[0].message, /seq jumps from 5 to 7/);
  });
});

describe('integrity: digest files', () => {
  const key = generateSigningKey('ed25519');
  const built = buildVerifiableLog(records(25), { signer: key, checkpointEvery: 10, clock, digestFile: 'log.jsonl' });
  const digest = head(built.digest!);

  it('verifies the log against its digest', async () => {
    const r = await verify(built.lines, { publicKeys: [key.publicKeyPem], digest });
    assert.equal(r.verdict, 'verified');
    assert.equal(r.digest.status, 'verified');
    assert.deepEqual(r.findings, []);
  });

  it('finds a log cut after a checkpoint (invisible without the digest) as truncated at its last line', async () => {
    const cut = built.lines.slice(0, 22); // through the checkpoint after record 20
    assert.equal(cut[21].type, 'integrity.checkpoint');
    const without = await verify(cut, { publicKeys: [key.publicKeyPem] });
    assert.equal(without.verdict, 'verified');
    const r = await verify(cut, { publicKeys: [key.publicKeyPem], digest });
    assert.deepEqual(findings(r), [[22, 'truncated', 'high']]);
    assert.match(r.findings[0].message, /the digest file covers 25 records \(up to seq 25\) but the log ends after 20: the last 5 record\(s\) were removed/);
  });

  it('a digest made before the log went on covers only its part', async () => {
    const early = head(new VerifiableLogWriter({ signer: key, clock }).digest());
    assert.equal(early.recordCount, 0);
    const w = new VerifiableLogWriter({ signer: key, clock });
    const out = records(8).flatMap((r) => w.append(r));
    const mid = head(w.digest());
    const more = records(12).slice(8).flatMap((r) => w.append(r));
    const r = await verify([...out, ...more], { publicKeys: [key.publicKeyPem], digest: mid });
    assert.equal(r.verdict, 'verified');
    assert.deepEqual(findings(r), [[9, 'info', 'info']]);
  });

  it('a forged digest (record_count raised, old signature) is a bad signature, not a truncation', async () => {
    const forged = head({ ...built.digest!, record_count: 30 });
    const r = await verify(built.lines, { publicKeys: [key.publicKeyPem], digest: forged });
    assert.deepEqual(findings(r), [[0, 'bad-signature', 'high']]);
    assert.equal(r.digest.status, 'bad-signature');
  });

  it('signTreeHead signs everything but the signature, the type included', () => {
    const h = signTreeHead({ type: 'integrity.digest', record_count: 1, last_hash: 'ab'.repeat(32) }, key);
    const parsed = head(h);
    assert.ok(verifySignature('ed25519', key.publicKey, parsed.payload, parsed.signature!));
    assert.equal(verifySignature('ed25519', key.publicKey, head({ ...h, type: 'integrity.checkpoint' }).payload, parsed.signature!), false);
  });
});

describe('integrity: HMAC-keyed chains', () => {
  const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const lines = buildVerifiableLog(records(10), { hmacKey: key }).lines;

  it('verifies with the right key and reports the key only as a fingerprint', async () => {
    const r = await verify(lines, { hmacKey: key });
    assert.equal(r.verdict, 'verified');
    assert.equal(r.profile?.name, 'jcs-hmac-sha256');
    assert.equal(r.keys.hmacKey, hmacKeyFingerprint(key));
    assert.equal(r.keys.hmacKey, 'sha256:' + createHash('sha256').update(key).digest('hex'));
    assert.ok(!JSON.stringify(r).includes(key.toString('hex')), 'the key itself is not in the report');
  });

  it('says a key is needed without one, and cannot verify with a wrong one', async () => {
    const none = await verify(lines);
    assert.equal(none.verdict, 'unverifiable');
    assert.equal(none.profileChoice.status, 'needs-key');
    assert.match(none.findings[0].message, /looks keyed \(HMAC\), so the HMAC key is needed/);
    const wrong = await verify(lines, { hmacKey: Buffer.from('wrong key') });
    assert.equal(wrong.verdict, 'unverifiable');
    assert.equal(wrong.profileChoice.status, 'unknown');
    assert.match(wrong.findings[0].message, /wrong key, or an unknown profile/);
    const configured = await verify(lines, { config: { hmac: true } });
    assert.match(configured.findings[0].message, /no HMAC key was given: the key is needed/);
  });

  it('a record edited and re-hashed without the key is caught', async () => {
    const bad = lines.map((l) => ({ ...l }));
    bad[4].detail = 'edited';
    bad[4].hash = createHash('sha256').update('forged').digest('hex');
    const r = await verify(bad, { hmacKey: key });
    assert.deepEqual(findings(r), [[5, 'modified', 'high']]);
  });
});

describe('integrity: inclusion proofs', () => {
  const key = generateSigningKey('ed25519');
  const built = buildVerifiableLog(records(21), { signer: key, checkpointEvery: 7, clock, proofs: true });

  it('every record proves its place in the signed tree', async () => {
    const r = await verify(built.lines, { publicKeys: [key.publicKeyPem] });
    assert.equal(r.verdict, 'verified');
    assert.deepEqual(r.inclusionProofs, { total: 21, verified: 21, consistent: 0, failed: 0, unchecked: 0 });
    assert.equal(r.merkle?.root, built.writer.merkleRoot);
  });

  it('a changed proof is reported at its record; a changed record is reported once, by the chain', async () => {
    const bad = built.lines.map((l) => ({ ...l }));
    const recs = bad.flatMap((l, i) => (l.type === 'integrity.checkpoint' ? [] : [i]));
    const p = bad[recs[3]].merkle_proof as { audit_path: string[] };
    bad[recs[3]].merkle_proof = { ...p, audit_path: ['00'.repeat(32), ...p.audit_path.slice(1)] };
    bad[recs[9]].detail = 'edited';
    const r = await verify(bad, { publicKeys: [key.publicKeyPem] });
    assert.deepEqual(findings(r).filter((f) => f[2] !== 'info'), [
      [recs[3] + 1, 'modified', 'medium'],
      [recs[9] + 1, 'modified', 'high'],
    ]);
    assert.match(r.findings[0].message, /inclusion proof does not lead to the signed tree head of size 21/);
    assert.equal(r.inclusionProofs.failed, 2);
  });

  it('proofs still verify on a partial export, against the signed heads', async () => {
    const tail = built.lines.slice(9);
    const r = await verify(tail, { publicKeys: [key.publicKeyPem] });
    assert.equal(r.verdict, 'partial');
    assert.equal(r.inclusionProofs.verified, r.records.chain);
    assert.deepEqual(findings(r).map((f) => f[1]), ['partial-chain']);
  });

  it('without a signed head of their size, proofs are checked against the log\'s own root', async () => {
    const plain = buildVerifiableLog(records(9), { proofs: true }).lines;
    const r = await verify(plain);
    assert.equal(r.inclusionProofs.consistent, 9);
    const bad = plain.map((l) => ({ ...l }));
    bad[2].merkle_proof = { leaf_index: 2, tree_size: 9, audit_path: ['zz'] };
    const r2 = await verify(bad);
    assert.deepEqual(findings(r2), [[3, 'unverifiable', 'medium']]);
  });
});

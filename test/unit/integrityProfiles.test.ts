// Profiles: canonical forms, names, auto-detection of every variant (canonicalization × algorithm × encoding × field
// names × genesis × keyed), the .auditlens.json "integrity" section, and logs written by an independent Python
// implementation (test/fixtures/integrity/make_python_fixtures.py).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, compareCodePoints } from '../../src/core/integrity/canonical';
import { digestPathFor, hintsFromConfig, parseAuditLensFile, parseIntegrityConfig } from '../../src/core/integrity/config';
import { detectProfile } from '../../src/core/integrity/detectProfile';
import { decodeBase64, decodeHex, sniffHashEncoding } from '../../src/core/integrity/encoding';
import { recordHash } from '../../src/core/integrity/hashChain';
import { DEFAULT_PROFILE, computeRecordHash, parseProfileName, profileName, type ProfileHints } from '../../src/core/integrity/profiles';
import { buildVerifiableLog } from '../../src/core/integrity/sign';
import { verifyIntegrity } from '../../src/core/integrity/verify';
import { readKeyFile } from '../../src/cli/commands/verify';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'integrity');

/** A small log with non-ASCII text, code-point-sensitive keys and numbers, chained under the given hints. */
function logWith(hints: ProfileHints, key?: Buffer, n = 6): Record<string, unknown>[] {
  const records = Array.from({ length: n }, (_, i) => ({
    ts: new Date(Date.UTC(2026, 10, 2, 8, 0, i)).toISOString(),
    type: i % 2 ? 'llm.call' : 'feedback',
    text: `réponse ${i} 🙂`,
    tags: { z: i, 'ﬁ': true, '🙂': [1.5, null] },
    ...(hints.fields?.seq ? { [hints.fields.seq]: i + 1 } : {}),
  }));
  return buildVerifiableLog(records, { profile: hints, hmacKey: key }).lines;
}

describe('integrity: canonical forms and encodings', () => {
  it('jcs sorts keys by UTF-16 units, sorted by code point, sorted-ascii escapes like Python', () => {
    const v = { '🙂': 1, 'ﬁ': 2, a: 'é\u007f', b: [1e21, 0.1, -0, null] };
    assert.equal(canonicalJson(v, 'jcs'), '{"a":"é\u007f","b":[1e+21,0.1,0,null],"🙂":1,"ﬁ":2}');
    assert.equal(canonicalJson(v, 'sorted'), '{"a":"é\u007f","b":[1e+21,0.1,0,null],"ﬁ":2,"🙂":1}');
    assert.equal(canonicalJson(v, 'sorted-ascii'), '{"a":"\\u00e9\\u007f","b":[1e+21,0.1,0,null],"\\ufb01":2,"\\ud83d\\ude42":1}');
    assert.ok(compareCodePoints('\ufb01', '\u{1f642}') < 0 && '\ufb01' > '\u{1f642}', 'the two orders really differ here');
    assert.throws(() => canonicalJson({ a: Infinity }, 'sorted'), /not finite/);
  });

  it('decodes hex and base64 strictly (a flipped unused bit does not decode to the same bytes)', () => {
    assert.deepEqual(decodeHex('0aFF'), Buffer.from([10, 255]));
    assert.equal(decodeHex('abc'), null);
    const b = Buffer.alloc(64, 7).toString('base64');
    assert.deepEqual(decodeBase64(b), Buffer.alloc(64, 7));
    assert.deepEqual(decodeBase64(b.replace(/=+$/, '')), Buffer.alloc(64, 7), 'unpadded');
    const last = b.replace(/=+$/, '').slice(-1);
    const sibling = String.fromCharCode(last.charCodeAt(0) + 1);
    assert.equal(decodeBase64(b.replace(/.(=*)$/, `${sibling}$1`)), null, 'non-canonical trailing bits');
    assert.deepEqual(decodeBase64(Buffer.alloc(32, 250).toString('base64url')), Buffer.alloc(32, 250), 'base64url');
    assert.deepEqual(sniffHashEncoding('ab'.repeat(48)), { encoding: 'hex', bytes: 48 });
    assert.deepEqual(sniffHashEncoding(Buffer.alloc(64, 1).toString('base64')), { encoding: 'base64', bytes: 64 });
  });

  it('names profiles and keeps the project default (recordHash) unchanged', () => {
    assert.deepEqual(parseProfileName('sorted-ascii-hmac-sha512'), { canonicalization: 'sorted-ascii', keyed: true, algorithm: 'sha512' });
    assert.equal(parseProfileName('md5'), null);
    assert.equal(profileName(DEFAULT_PROFILE), 'jcs-sha256');
    assert.equal(recordHash({ b: 1, a: 'x', hash: 'ignored' }), 'cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246');
    assert.equal(computeRecordHash(DEFAULT_PROFILE, { a: 'x', b: 1, signature: 's', merkle_proof: {} }), recordHash({ a: 'x', b: 1 }));
  });
});

describe('integrity: profile detection', () => {
  const variants: { hints: ProfileHints; name: string; keyed?: boolean }[] = [];
  for (const canonicalization of ['jcs', 'sorted', 'sorted-ascii'] as const) {
    for (const algorithm of ['sha256', 'sha384', 'sha512'] as const) {
      for (const encoding of ['hex', 'base64'] as const) {
        variants.push({ hints: { canonicalization, algorithm, encoding }, name: `${canonicalization}-${algorithm}` });
      }
    }
  }
  variants.push(
    { hints: { fields: { prevHash: 'prevHash', seq: 'sequence' } }, name: 'jcs-sha256' },
    { hints: { fields: { prevHash: 'previous_hash' }, genesis: null }, name: 'jcs-sha256' },
    { hints: { canonicalization: 'sorted', genesis: 'GENESIS' }, name: 'sorted-sha256' },
    { hints: { algorithm: 'sha384', keyed: true }, name: 'jcs-hmac-sha384', keyed: true },
  );
  const key = Buffer.from('test-only hmac key');

  for (const v of variants) {
    const label = `${v.name} ${v.hints.encoding ?? 'hex'} ${v.hints.fields?.prevHash ?? ''} genesis=${JSON.stringify(v.hints.genesis)}`;
    it(`detects ${label} and verifies it`, async () => {
      const lines = logWith(v.hints, v.keyed ? key : undefined);
      const d = detectProfile(lines, {}, v.keyed ? key : undefined);
      assert.equal(d.status, 'found', d.reason);
      const p = d.profile!;
      // jcs and sorted agree on logs without code-point-sensitive keys; this log has them, so the name is exact.
      assert.equal(profileName(p), v.name, d.reason);
      assert.equal(p.encoding, v.hints.encoding ?? 'hex');
      assert.equal(p.fields.prevHash, v.hints.fields?.prevHash ?? 'prev_hash');
      if (v.hints.genesis !== undefined) assert.equal(p.genesis, v.hints.genesis);
      const report = await verifyIntegrity({ values: lines }, { hmacKey: v.keyed ? key : undefined });
      assert.equal(report.verdict, 'verified', JSON.stringify(report.findings));
      assert.deepEqual(report.findings, []);
    });
  }

  it('says "no hash chain found" when no record has a hash field', async () => {
    const d = detectProfile([{ a: 1 }, { b: 2 }], {});
    assert.equal(d.status, 'no-chain');
    assert.match(d.reason, /no hash chain found/);
    const report = await verifyIntegrity({ values: [{ a: 1 }, { b: 2 }] });
    assert.equal(report.verdict, 'no-chain');
    assert.equal(report.findings.length, 1);
  });

  it('says a key is needed for a keyed chain, and "unknown profile" when nothing matches even with a key', () => {
    const lines = logWith({ keyed: true }, key);
    const d = detectProfile(lines, {});
    assert.equal(d.status, 'needs-key');
    assert.match(d.reason, /looks keyed \(HMAC\), so the HMAC key is needed/);
    const wrong = detectProfile(lines, {}, Buffer.from('another key'));
    assert.equal(wrong.status, 'unknown');
    assert.match(wrong.reason, /unverifiable: unknown profile.*wrong key/);
    const configured = detectProfile(lines, { keyed: true });
    assert.match(configured.reason, /keyed \(HMAC\) and no HMAC key was given/);
  });

  it('picks the profile most records agree with, so a tampered first record does not mislead it', () => {
    const lines = logWith({ canonicalization: 'sorted' });
    lines[0] = { ...lines[0], text: 'tampered' };
    const d = detectProfile(lines, {});
    assert.equal(profileName(d.profile!), 'sorted-sha256');
    assert.match(d.reason, /5 of 6/);
  });

  it('reports an unlinked log (hashes without prev-hash) by content only', async () => {
    const lines = logWith({ fields: { prevHash: null } });
    assert.ok(lines.every((l) => !('prev_hash' in l)));
    const d = detectProfile(lines, {});
    assert.equal(d.profile!.fields.prevHash, null);
    lines[2] = { ...lines[2], text: 'changed' };
    const report = await verifyIntegrity({ values: lines });
    assert.deepEqual(report.findings.map((f) => [f.line, f.class]), [[3, 'modified']]);
  });
});

describe('integrity: .auditlens.json integrity section', () => {
  it('accepts a full section and turns it into hints', () => {
    const section = {
      profile: 'sorted-hmac-sha384',
      encoding: 'base64',
      genesis: null,
      fields: { prevHash: 'prevHash', seq: null, timestamp: 'time' },
      covered: ['time', 'type', 'prevHash'],
      hmac: true,
      publicKey: ['keys/a.pem', 'keys/b.pem'],
      digest: '{file}.digest.json',
      checkpoints: { type: 'ckpt', required: true },
    };
    const r = parseIntegrityConfig(section);
    assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
    assert.deepEqual(hintsFromConfig(r.config), {
      canonicalization: 'sorted',
      algorithm: 'sha384',
      keyed: true,
      encoding: 'base64',
      genesis: null,
      fields: { prevHash: 'prevHash', seq: null, timestamp: 'time' },
      covered: ['time', 'type', 'prevHash'],
    });
    assert.equal(digestPathFor(r.config, 'logs/a.jsonl'), 'logs/a.jsonl.digest.json');
    assert.deepEqual(parseAuditLensFile({ other: 1 }), { ok: true, config: {} });
  });

  it('lists every problem with where it is', () => {
    const r = parseIntegrityConfig({
      algoritm: 'sha256',
      algorithm: 'md5',
      canonicalization: 'c14n',
      genesis: 0,
      fields: { hash: '', prev: 'x' },
      covered: [],
      hmac: 'yes',
      publicKey: '-----BEGIN PRIVATE KEY-----',
      checkpoints: { required: 'always' },
      profile: 'jcs-sha1',
    });
    assert.equal(r.ok, false);
    const text = r.ok ? '' : r.errors.join('\n');
    for (const expected of [
      /integrity: unknown member "algoritm"/,
      /integrity\.algorithm must be one of "sha256", "sha384", "sha512" \(got "md5"\)/,
      /integrity\.canonicalization must be one of/,
      /integrity\.genesis must be a string, or null/,
      /integrity\.fields\.hash must be a non-empty string/,
      /integrity\.fields: unknown member "prev"/,
      /integrity\.covered must be a non-empty list/,
      /integrity\.hmac must be true or false \(the key itself never goes in this file\)/,
      /integrity\.publicKey holds a private key/,
      /integrity\.checkpoints\.required must be true or false/,
      /integrity\.profile must be a profile name/,
    ]) {
      assert.match(text, expected);
    }
    assert.deepEqual(parseIntegrityConfig([]), { ok: false, errors: ['integrity must be an object (got an array)'] });
    const clash = parseIntegrityConfig({ profile: 'jcs-sha256', algorithm: 'sha512' });
    assert.match(clash.ok ? '' : clash.errors[0], /disagrees/);
  });

  it('a configured genesis makes a missing head a deletion instead of a partial chain', async () => {
    const lines = logWith({}).slice(2);
    const auto = await verifyIntegrity({ values: lines });
    assert.equal(auto.verdict, 'partial');
    assert.deepEqual(auto.findings.map((f) => [f.line, f.class, f.severity]), [[1, 'partial-chain', 'info']]);
    const strict = await verifyIntegrity({ values: lines }, { config: { genesis: '0'.repeat(64) } });
    assert.equal(strict.verdict, 'tampered');
    assert.deepEqual(strict.findings.map((f) => [f.line, f.class]), [[1, 'deleted']]);
  });
});

describe('integrity: logs written by an independent implementation (Python)', () => {
  const expected = JSON.parse(fs.readFileSync(path.join(fixtures, 'python-expected.json'), 'utf8')) as Record<string, { profile: string; records: number; merkle_root: string }>;
  const opts: Record<string, Parameters<typeof verifyIntegrity>[1]> = {
    'python-sorted-ascii.jsonl': { publicKeys: [path.join(fixtures, 'python-ed25519.pub.pem')] },
    'python-sorted-sha512-base64.jsonl': {},
    'python-hmac.jsonl': {
      hmacKey: readKeyFile(path.join(fixtures, 'python-hmac.TEST-ONLY.key.hex')),
      publicKeys: [path.join(fixtures, 'python-ecdsa-p256.pub.pem')],
      digest: path.join(fixtures, 'python-hmac.digest.json'),
    },
  };
  for (const [file, want] of Object.entries(expected)) {
    it(`${file}: detects ${want.profile}, verifies, and computes Python's Merkle root`, async () => {
      const report = await verifyIntegrity(path.join(fixtures, file), opts[file]);
      assert.equal(report.profile?.name, want.profile, report.profileChoice.reason);
      assert.equal(report.records.chain, want.records);
      assert.equal(report.merkle?.root, want.merkle_root);
      assert.equal(report.verdict, 'verified', JSON.stringify(report.findings));
      assert.equal(report.counts.bySeverity.high + report.counts.bySeverity.medium, 0);
    });
  }

  it('verifies Python-made Ed25519 checkpoints and an ECDSA P-256 (DER) digest, and names the tail they leave', async () => {
    const a = await verifyIntegrity(path.join(fixtures, 'python-sorted-ascii.jsonl'), opts['python-sorted-ascii.jsonl']);
    assert.equal(a.checkpoints.verified, 2);
    assert.equal(a.lastVerifiedCheckpoint?.recordCount, 10);
    assert.deepEqual(a.findings.map((f) => [f.line, f.class, f.severity]), [[13, 'info', 'info']]);
    assert.match(a.findings[0].message, /2 record\(s\) after the last verified checkpoint \(line 12\) are not covered by a signature/);
    const h = await verifyIntegrity(path.join(fixtures, 'python-hmac.jsonl'), opts['python-hmac.jsonl']);
    assert.equal(h.digest.status, 'verified');
    assert.equal(h.lastVerifiedCheckpoint?.kind, 'digest');
    assert.equal(h.profile?.genesis, 'GENESIS');
  });
});

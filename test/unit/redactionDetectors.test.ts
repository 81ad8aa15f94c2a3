import * as assert from 'node:assert/strict';
import { ibanCheckDigits, ibanMod97, luhnCheckDigit, luhnValid, shannonEntropy } from '../../src/core/redaction/checksums';
import { Detector, InvalidPatternError, checkTypeNames, detect } from '../../src/core/redaction/detect';
import { resolveOverlaps } from '../../src/core/redaction/overlaps';
import { BUILT_IN_TYPES, type DetectOptions, type Finding } from '../../src/core/redaction/types';

const ALL: DetectOptions = { types: [...BUILT_IN_TYPES] };

/** [type, value] of each finding. */
function found(text: string, options: DetectOptions = {}, key?: string): [string, string][] {
  return new Detector(options).detect(text, key === undefined ? undefined : { key }).map((f) => [f.type, f.value]);
}

function only(text: string, type: string, options: DetectOptions = {}): string[] {
  return found(text, options)
    .filter(([t]) => t === type)
    .map(([, v]) => v);
}

describe('redaction checksums', () => {
  it('Luhn accepts test card numbers and rejects a changed digit', () => {
    assert.ok(luhnValid('4111111111111111'));
    assert.ok(luhnValid('378282246310005'));
    assert.ok(!luhnValid('4111111111111112'));
    assert.ok(!luhnValid(''));
    assert.equal(luhnCheckDigit('411111111111111'), 1);
  });

  it('IBAN mod-97 is 1 for the ISO example and the check digits are computed back', () => {
    assert.equal(ibanMod97('DE89370400440532013000'), 1);
    assert.equal(ibanMod97('GB82WEST12345698765432'), 1);
    assert.notEqual(ibanMod97('DE88370400440532013000'), 1);
    assert.equal(ibanCheckDigits('DE', '370400440532013000'), '89');
  });

  it('Shannon entropy: 0 for one repeated character, log2(n) for n distinct', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
  });
});

describe('redaction detectors', () => {
  it('email: addresses in prose, JSON and mailto links; not asset names, npm versions or bare hosts', () => {
    assert.deepEqual(only('Please update my email to jane.doe@example.com today.', 'email'), ['jane.doe@example.com']);
    assert.deepEqual(only('{"to":"a.b+tag@mail.example.co.uk"}', 'email'), ['a.b+tag@mail.example.co.uk']);
    assert.deepEqual(only('mailto:ops@example.org?subject=x, end of sentence ops@example.org.', 'email'), ['ops@example.org', 'ops@example.org']);
    assert.deepEqual(only('logo@2x.png lodash@4.17.21 user@localhost @mention a..b@example.com', 'email'), []);
  });

  it('phone: E.164 and US/UK/DE/FR national formats', () => {
    for (const p of ['+1 555 013 4477', '+15550134477', '(555) 013-4477', '555-013-4477', '555.013.4477', '+44 20 7946 0958', '020 7946 0958', '+44 (0)20 7946 0958', '030 12345678', '089/1234567', '(030) 1234567', '+49 151 23456789', '01 23 45 67 89', '06.12.34.56.78', '+33 6 12 34 56 78', '0044 20 7946 0958']) {
      assert.deepEqual(only(`Call me at ${p} please`, 'phone'), [p], p);
    }
  });

  it('phone: not timestamps, dates, versions, IPs, order numbers, prices, card numbers or bare ids', () => {
    for (const t of [
      'created 2026-11-02T08:00:07.213Z',
      'at 2026-11-02 08:00:07',
      'due 12/04/2026',
      'version 10.0.19045.1234',
      'from 192.168.100.200',
      'order ORD-123456',
      'order #4111-2234',
      'Order number 1234 5678 9012',
      'Ticket 5550134477 closed',
      'total $1,234.56',
      'card 4111 1111 1111 1111',
      'uuid 550e8400-e29b-41d4-a716-446655440000',
      'epoch 1795348307696 ms',
      'IBAN DE88 3704 0044 0532 0130 00',
    ]) {
      assert.deepEqual(only(t, 'phone'), [], t);
    }
  });

  it('phone: a bare digit run only next to a phone word, and a negative word right before wins', () => {
    assert.deepEqual(only('call me on 5550134477', 'phone'), ['5550134477']);
    assert.deepEqual(only('tel: 030 62724831 (mobile) — Ticket 6793181155 was closed.', 'phone'), ['030 62724831']);
    assert.deepEqual(only('Order 555-013-4477 shipped', 'phone'), []);
    assert.deepEqual(only('5550134477', 'phone', {}), []);
    assert.deepEqual(found('5550134477', {}, 'phone'), [['phone', '5550134477']], 'the JSON key counts as context');
  });

  it('credit card: Luhn-valid with spaces, dashes or none; a known issuer gives high confidence', () => {
    const d = new Detector();
    for (const c of ['4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111111', '3782 822463 10005', '5555 5555 5555 4444', '6011111111111117']) {
      const f = d.detect(`paid with ${c}.`);
      assert.equal(f.length, 1, c);
      assert.equal(f[0].type, 'credit_card');
      assert.equal(f[0].value, c);
      assert.ok(f[0].confidence >= 0.95, `${c}: ${f[0].confidence}`);
      assert.equal(f[0].validator, 'luhn');
    }
    assert.deepEqual(only('paid with 4111 1111 1111 1111 123 twice', 'credit_card'), ['4111 1111 1111 1111'], 'a trailing group is dropped');
  });

  it('credit card: never a Luhn failure, a mixed or odd grouping, or an unknown issuer without a card word', () => {
    assert.deepEqual(only('card 4111 1111 1111 1112', 'credit_card'), []);
    assert.deepEqual(only('card 4111 1111-1111 1111', 'credit_card'), []);
    assert.deepEqual(only('card 41 1111 1111 111111', 'credit_card'), []);
    assert.deepEqual(only('card 0000 0000 0000 0000', 'credit_card'), []);
    const unknown = '9' + '00000000000000';
    const pan = unknown + luhnCheckDigit(unknown);
    assert.deepEqual(only(`ID ${pan} archived`, 'credit_card'), [], 'unknown issuer, no keyword: under the default minimum');
    assert.deepEqual(only(`card number: ${pan}`, 'credit_card'), [pan]);
    assert.deepEqual(only(`ID ${pan}`, 'credit_card', { minConfidence: 0.4 }), [pan], 'reported at 0.45 for callers who ask');
  });

  it('IBAN: valid checksums in compact and grouped form; a bad checksum or wrong length is never reported', () => {
    assert.deepEqual(only('IBAN DE89 3704 0044 0532 0130 00 please', 'iban'), ['DE89 3704 0044 0532 0130 00']);
    assert.deepEqual(only('to GB82WEST12345698765432.', 'iban'), ['GB82WEST12345698765432']);
    assert.deepEqual(found('IBAN DE88 3704 0044 0532 0130 00 please', ALL), []);
    assert.deepEqual(found('IBAN DE89 3704 0044 0532 0130 0 please', ALL), [], 'one character short');
    assert.deepEqual(only('IBAN XX89 3704 0044 0532 0130 00', 'iban'), [], 'unknown country');
  });

  it('SSN: valid ranges with dashes or spaces; bare digits only after an SSN word; a keyword raises confidence', () => {
    const d = new Detector();
    const plain = d.detect('Applicant 078-05-1120 verified');
    const keyed = d.detect('My SSN is 078-05-1120');
    assert.equal(plain[0].type, 'ssn');
    assert.ok(keyed[0].confidence > plain[0].confidence);
    for (const bad of ['000-12-3456', '666-12-3456', '912-34-5678', '123-00-4567', '123-45-0000']) assert.deepEqual(only(`SSN ${bad}`, 'ssn'), [], bad);
    assert.deepEqual(only('Applicant 078051120 verified', 'ssn'), []);
    assert.deepEqual(only('SSN: 078051120', 'ssn'), ['078051120']);
    assert.deepEqual(only('ssn: 540-09-8688 — Build #142078171', 'ssn'), ['540-09-8688'], 'the keyword must be right before bare digits');
  });

  it('IPv4: valid octets; not version strings (v1.2.3.4, "version 1.2.3.4", Chrome/…), OIDs or 5-part runs', () => {
    assert.deepEqual(only('request from 192.168.1.10, then http://10.0.0.1/admin', 'ipv4'), ['192.168.1.10', '10.0.0.1']);
    for (const t of ['running v1.2.3.4', 'version 1.2.3.4', 'Chrome/120.0.61.109', 'OID 1.3.6.1.4.1.2', 'ip 256.1.1.1', 'ip 01.2.3.4']) assert.deepEqual(only(t, 'ipv4'), [], t);
  });

  it('IPv6 and MAC: valid addresses; not times, C++ scopes or hex dumps', () => {
    assert.deepEqual(only('login from fe80::1ff:fe23:4567:890a at night', 'ipv6'), ['fe80::1ff:fe23:4567:890a']);
    assert.deepEqual(only('peer ::ffff:192.168.1.20.', 'ipv6'), ['::ffff:192.168.1.20']);
    assert.deepEqual(found('peer ::ffff:192.168.1.20.'), [['ipv6', '::ffff:192.168.1.20']], 'not also reported as IPv4');
    assert.deepEqual(only('at 12:30:45, std::vector, a::b', 'ipv6'), []);
    assert.deepEqual(only('device 00:1A:2B:3C:4D:5E and 00-1a-2b-3c-4d-5f and 001a.2b3c.4d5e', 'mac'), ['00:1A:2B:3C:4D:5E', '00-1a-2b-3c-4d-5f', '001a.2b3c.4d5e']);
    assert.deepEqual(only('dump 00:1A:2B:3C:4D:5E:6F', 'mac'), []);
  });

  it('date of birth: only after a birth keyword; other dates are left alone', () => {
    assert.deepEqual(only('I was born on 12 April 1985 in Lyon', 'dob'), ['12 April 1985']);
    assert.deepEqual(only('DOB: 04/12/1985', 'dob'), ['04/12/1985']);
    assert.deepEqual(only('geboren am 12.04.1985', 'dob'), ['12.04.1985']);
    assert.deepEqual(only('née le 3 mars 1990', 'dob'), ['3 mars 1990']);
    assert.deepEqual(only('date of birth: April 12, 1985', 'dob'), ['April 12, 1985']);
    assert.deepEqual(only('delivered on 12 April 1985, invoice 04/12/1985', 'dob'), []);
    assert.deepEqual(only('DOB: 31/31/1985', 'dob'), [], 'not a calendar date');
    assert.deepEqual(found('1985-04-12', {}, 'date_of_birth'), [['dob', '1985-04-12']], 'the JSON key counts as context');
  });

  it('vendor keys: AWS, OpenAI, Anthropic, GitHub, Slack, Stripe', () => {
    const cases: [string, string][] = [
      ['aws_access_key', 'AKIAIOSFODNN7EXAMPLE'],
      ['openai_key', 'sk-proj-abcDEF1234567890abcdefGHIJKLmnop'],
      ['openai_key', 'sk-' + 'a1B2c3D4e5'.repeat(4) + 'abcdefgh'],
      ['anthropic_key', 'sk-ant-api03-abcdefghij1234567890ABCDEFGHIJ-xyz_AA'],
      ['github_token', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
      ['github_token', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789'],
      ['slack_token', 'xoxb-1234567890-0987654321-abcdefghijABCDEFGHIJ'],
      ['stripe_key', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'],
      ['stripe_key', 'pk_live_4eC39HqLyjWDarjtT1zdp7dc'],
    ];
    for (const [type, key] of cases) assert.deepEqual(found(`config: ${key} end`), [[type, key]], key);
    assert.deepEqual(found('we use an sk-learn-style-naming-convention-here'), [], 'prose with the prefix');
    assert.deepEqual(found('xghp_0123456789abcdefghijABCDEFGHIJ012345'), [], 'glued into a longer identifier');
  });

  it('AWS secret keys need their keyword; JWTs need a JSON header with alg; PEM blocks are whole', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    assert.deepEqual(found(`aws_secret_access_key=${secret}`), [['aws_secret_key', secret]]);
    assert.deepEqual(found(`blob ${secret} end`), []);
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    assert.deepEqual(found(`Authorization: Bearer ${jwt}`), [['jwt', jwt]]);
    const noAlg = `${Buffer.from('{"typ":"JWT"}').toString('base64url')}.eyJzdWIiOiIxIn0.abcdefghijkl`;
    assert.deepEqual(only(noAlg, 'jwt'), []);
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd\n-----END RSA PRIVATE KEY-----';
    assert.deepEqual(found(`key:\n${pem}\nthanks`), [['private_key', pem]]);
    assert.deepEqual(found('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nMIIEvQ'), [['private_key', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nMIIEvQ']], 'cut off: up to the end of the body');
  });

  it('high-entropy secrets only next to key/secret/token/password words; not UUIDs, words or hashes without a keyword', () => {
    assert.deepEqual(found('api_key=Zx9Qm2Lp8Rt4Vw7Yb3Nc6Hd1&x=1'), [['secret', 'Zx9Qm2Lp8Rt4Vw7Yb3Nc6Hd1']]);
    assert.deepEqual(found('Authorization: Bearer Zx9Qm2Lp8Rt4Vw7Yb3Nc6Hd1'), [['secret', 'Zx9Qm2Lp8Rt4Vw7Yb3Nc6Hd1']]);
    assert.deepEqual(found('my password is Hunter22!x please'), [['secret', 'Hunter22!x']]);
    assert.deepEqual(found('token_id: 550e8400-e29b-41d4-a716-446655440000'), []);
    assert.deepEqual(found('token: my_super_long_variable_name_here'), []);
    assert.deepEqual(found('commit 3f9a2c1d4e5b6a7c8d9e0f1a2b3c4d5e6f7a8b9c'), []);
    assert.deepEqual(found('password is correct'), []);
    assert.deepEqual(found('Xk9mP2qL7vR4', {}, 'password'), [['secret', 'Xk9mP2qL7vR4']], 'the value of a password field');
    assert.deepEqual(found('aws_secret_access_key = AWS_SECRET_3f9a2c1d04be'), [], 'a pseudonym written by this engine');
  });

  it('person names: off by default; when enabled, marked heuristic and lower confidence', () => {
    const text = 'Hi, my name is Jane Doe. Mr. Smith and Carlos Ruiz called. I am Happy. The Grace Period ends.';
    assert.deepEqual(found(text), []);
    const names = new Detector({ types: ['person_name'] }).detect(text);
    assert.deepEqual(names.map((f) => f.value), ['Jane Doe', 'Smith', 'Carlos Ruiz']);
    assert.ok(names.every((f) => f.heuristic === true && f.validator === 'name-heuristic' && f.confidence <= 0.75));
  });

  it('custom patterns report custom:<name>; a bad expression is refused with its name; empty matches do not loop', () => {
    const options: DetectOptions = { customPatterns: [{ name: 'ticket', pattern: 'TCK-\\d{6}', confidence: 0.9 }, { name: 'empty', pattern: 'x*' }] };
    assert.deepEqual(found('see TCK-123456 and TCK-12', options), [['custom:ticket', 'TCK-123456']]);
    assert.deepEqual(found('TCK-123456', { ...options, types: ['email'] }), [], 'not enabled');
    assert.deepEqual(found('TCK-123456', { ...options, types: ['custom'] }), [['custom:ticket', 'TCK-123456']]);
    assert.throws(() => new Detector({ customPatterns: [{ name: 'broken', pattern: '(' }] }), (err: Error) => err instanceof InvalidPatternError && /broken/.test(err.message));
    assert.throws(() => new Detector({ customPatterns: [{ name: 'bad name!', pattern: 'a' }] }), InvalidPatternError);
    assert.deepEqual(found('X1', { customPatterns: [{ name: 'short', pattern: 'X\\d' }] }), [['custom:short', 'X1']], 'short texts are scanned for custom patterns');
  });

  it('options: enabled types, minimum confidence, allowlist values and patterns', () => {
    const text = 'mail jane@example.com or ops@corp.test, card 4111 1111 1111 1111';
    assert.deepEqual(found(text, { types: ['email'] }).map(([t]) => t), ['email', 'email']);
    assert.deepEqual(found(text, { minConfidence: 0.98 }).map(([t]) => t), ['credit_card']);
    assert.deepEqual(found(text, { allowlist: { values: ['jane@example.com'], patterns: ['@corp\\.test$'] } }).map(([, v]) => v), ['4111 1111 1111 1111']);
    assert.deepEqual(found(text, { allowlist: { patterns: [/^4111/g] } }).map(([t]) => t), ['email', 'email'], 'a g flag does not make the test stateful');
    assert.throws(() => checkTypeNames(['emial']), /unknown type "emial"/);
  });

  it('overlaps: higher confidence wins, then the longer span; one finding per character', () => {
    const f = (type: string, start: number, end: number, confidence: number): Finding => ({ type: type as Finding['type'], start, end, value: 'x'.repeat(end - start), confidence });
    const resolved = resolveOverlaps([f('phone', 5, 20, 0.8), f('iban', 0, 27, 0.97), f('email', 30, 40, 0.9), f('secret', 32, 45, 0.9)]);
    assert.deepEqual(resolved.map((r) => r.type), ['iban', 'secret']);
    assert.deepEqual(detect('ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com').map((r) => r.type), ['github_token'], 'token inside a URL userinfo beats the email reading');
  });

  it('detect() reuses a compiled detector per options object and returns the same findings as a Detector', () => {
    const options: DetectOptions = { types: ['email'] };
    const long = 'reach me at jane@example.com — '.repeat(3);
    const first = detect(long, options);
    first.pop(); // callers may mutate the returned array: the cache keeps its own
    assert.deepEqual(detect(long, options), new Detector(options).detect(long));
    assert.equal(detect(long, options).length, 3);
  });
});

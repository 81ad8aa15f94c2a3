import * as assert from 'node:assert/strict';
import { ibanMod97, luhnValid } from '../../src/core/redaction/checksums';
import { Detector } from '../../src/core/redaction/detect';
import { displayMask } from '../../src/core/redaction/displayMask';
import { MASK, RedactionContext, keepLast4, redact } from '../../src/core/redaction/redact';
import type { RedactionMode } from '../../src/core/redaction/types';

const KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const TEXT = 'Mail jane.doe@example.com or JANE.DOE@EXAMPLE.COM, card 4111 1111 1111 1111, again 4111-1111-1111-1111, other bob@example.org, SSN 078-05-1120, IBAN DE89 3704 0044 0532 0130 00, call +1 555 013 4477.';

function run(mode: RedactionMode, ctx = new RedactionContext({ key: KEY }), text = TEXT): string {
  return redact(text, new Detector().detect(text), mode, ctx);
}

describe('redaction modes', () => {
  it('mask: every value becomes the fixed "****"', () => {
    const out = run('mask');
    assert.equal(out, 'Mail **** or ****, card ****, again ****, other ****, SSN ****, IBAN ****, call ****.');
    assert.equal(MASK, '****');
  });

  it('tag: numbered per type; the same (normalized) value gets the same number across calls of one context', () => {
    const ctx = new RedactionContext();
    const out = run('tag', ctx);
    assert.equal(out, 'Mail [EMAIL_1] or [EMAIL_1], card [CARD_1], again [CARD_1], other [EMAIL_2], SSN [SSN_1], IBAN [IBAN_1], call [PHONE_1].');
    assert.equal(run('tag', ctx, 'later: bob@example.org and new@example.net'), 'later: [EMAIL_2] and [EMAIL_3]');
    assert.deepEqual(ctx.distinctTagged(), { EMAIL: 3, CARD: 1, SSN: 1, IBAN: 1, PHONE: 1 });
    assert.equal(run('tag', new RedactionContext(), 'new@example.net'), '[EMAIL_1]', 'a new context (file) starts again at 1');
  });

  it('pseudonym: HMAC-SHA256 tokens, stable for a key and value, different for another key; needs a key', () => {
    const a = run('pseudonym');
    const b = run('pseudonym', new RedactionContext({ key: KEY }));
    const c = run('pseudonym', new RedactionContext({ key: Buffer.from('another key of 16+ bytes') }));
    assert.equal(a, b);
    assert.notEqual(a, c);
    const emails = a.match(/EMAIL_[0-9a-f]{12}/g)!;
    assert.equal(emails.length, 3);
    assert.equal(emails[0], emails[1], 'case differences normalize to the same token');
    assert.notEqual(emails[0], emails[2]);
    assert.equal(a.match(/CARD_[0-9a-f]{12}/g)!.length, 2);
    assert.equal(new Set(a.match(/CARD_[0-9a-f]{12}/g)).size, 1, 'spaces and dashes normalize to the same token');
    assert.ok(!/jane|4111|078-05|DE89|555/.test(a));
    assert.throws(() => run('pseudonym', new RedactionContext()), /needs a key/);
    assert.throws(() => new RedactionContext({ key: Buffer.from('short') }), /16 bytes/);
  });

  it('pseudonym, format-preserving: same shapes, but never valid real data', () => {
    const ctx = new RedactionContext({ key: KEY, formatPreserving: true });
    const out = run('pseudonym', ctx);
    const card = /card (\d{4} \d{4} \d{4} \d{4})/.exec(out)![1];
    assert.ok(!luhnValid(card.replace(/\D/g, '')), 'the card fails Luhn');
    const ssn = /SSN (\d{3}-\d{2}-\d{4})/.exec(out)![1];
    assert.equal(ssn[0], '9', 'the SSN area is 9xx (never issued)');
    const iban = /IBAN (DE00 [\d ]+\d)/.exec(out)![1];
    assert.equal(iban.length, 'DE89 3704 0044 0532 0130 00'.length);
    assert.notEqual(ibanMod97(iban.replace(/ /g, '')), 1, 'the IBAN fails mod-97');
    assert.match(out, /Mail user-[0-9a-f]{10}@example\.invalid/);
    assert.match(out, /call \+\d \d{3} \d{3} \d{4}\./);
    assert.equal(new Detector({ types: ['credit_card', 'ssn', 'iban'] }).detect(out).length, 0, 'not re-detected as cards, SSNs or IBANs');
    assert.equal(run('pseudonym', new RedactionContext({ key: KEY, formatPreserving: true })), out, 'deterministic');
  });

  it('partial: last 4 kept for cards, phones, IBANs, SSNs with their separators; other types masked', () => {
    const out = run('partial');
    assert.equal(out, 'Mail **** or ****, card **** **** **** 1111, again ****-****-****-1111, other ****, SSN ***-**-1120, IBAN **** **** **** **** **30 00, call +* *** *** 4477.');
    assert.equal(keepLast4('abc'), 'abc');
  });

  it('redact() applies findings in any order and skips one that starts inside another', () => {
    const text = 'a 4111 1111 1111 1111 b';
    const findings = new Detector().detect(text);
    const overlapping = { ...findings[0], start: findings[0].start + 2 };
    assert.equal(redact(text, [overlapping, findings[0]], 'mask', new RedactionContext()), 'a **** b');
    assert.equal(redact(text, [], 'mask', new RedactionContext()), text);
  });

  it('displayMask never shows a whole value', () => {
    const cases: [string, string, string][] = [
      ['credit_card', '4111 1111 1111 1111', '**** **** **** 1111'],
      ['email', 'jane.doe@example.com', 'j***@e***.com'],
      ['openai_key', 'sk-proj-abcDEF1234567890abcdefGHIJ', 'sk… (34 chars)'],
      ['ipv4', '10.0.0.1', '****'],
    ];
    for (const [type, value, shown] of cases) {
      assert.equal(displayMask({ type: type as never, value }), shown);
      assert.ok(!displayMask({ type: type as never, value }).includes(value));
    }
  });
});

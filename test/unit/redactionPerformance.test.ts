import * as assert from 'node:assert/strict';
import { Detector } from '../../src/core/redaction/detect';
import { BUILT_IN_TYPES } from '../../src/core/redaction/types';

const MB = 1_000_000;

/** `unit` repeated (after `prefix`) to exactly 1 MB. */
function fill(unit: string, prefix = ''): string {
  return (prefix + unit.repeat(Math.ceil(MB / unit.length))).slice(0, MB);
}

/**
 * Inputs that make naive patterns backtrack (quadratic or worse): long runs of what a pattern accepts followed by
 * what it rejects, and the start of every pattern repeated. Each must finish in well under the limit: a quadratic
 * detector takes minutes on a megabyte.
 */
const ADVERSARIAL: [string, string][] = [
  ['letters', fill('a')],
  ['digits', fill('1')],
  ['digits and spaces', fill('1 ')],
  ['digits and dashes', fill('12-')],
  ['parentheses', fill('(1')],
  ['plus groups', fill('+1 ')],
  ['at signs', fill('@')],
  ['local@ runs', fill('a@')],
  ['long local part', fill('a').slice(12) + '@example.com'],
  ['long domain', fill('a.', 'x@')],
  ['dots', fill('1.')],
  ['colons', fill(':')],
  ['hex and colons', fill('ab:')],
  ['IBAN starts', fill('DE89')],
  ['IBAN groups', fill('DE89 3704 ')],
  ['sk- prefix then letters', fill('a', 'sk-')],
  ['sk- repeated', fill('sk-')],
  ['eyJ then letters', fill('a', 'eyJ')],
  ['JWT-like parts', fill('eyJa.')],
  ['PEM begin without end', fill('A', '-----BEGIN PRIVATE KEY-----\n')],
  ['PEM begin repeated', fill('-----BEGIN PRIVATE KEY-----')],
  ['password then a long word', fill('x', 'password: ')],
  ['token then base64', fill('Ab1', 'token=')],
  ['token words repeated', fill('token=Ab1 ')],
  ['aws secret keyword then base64', fill('A', 'aws_secret_access_key=')],
  ['birth keyword repeated', fill('born on 1')],
  ['names', fill('Mr. Jane ')],
  ['name pairs', fill('Jane Doe ')],
  ['base64 alphabet', fill('aB3+/')],
  ['quotes', fill('"')],
  ['mixed', fill('jane.doe@ex 4111 1111 +1 555 sk-ab12 AKIA eyJ 10.0.0. ')],
];

describe('redaction performance', function () {
  this.timeout(120_000);

  it('1 MB adversarial strings finish quickly (no catastrophic backtracking)', () => {
    const detector = new Detector({ types: [...BUILT_IN_TYPES] });
    const slow: string[] = [];
    for (const [name, text] of ADVERSARIAL) {
      assert.equal(text.length, MB);
      const t0 = performance.now();
      detector.detect(text);
      const ms = performance.now() - t0;
      if (ms > 2000) slow.push(`${name}: ${Math.round(ms)} ms`);
    }
    assert.deepEqual(slow, []);
  });

  it('a custom pattern with an empty match and a long text terminates', () => {
    const detector = new Detector({ customPatterns: [{ name: 'maybe', pattern: 'z*' }] });
    const t0 = performance.now();
    assert.deepEqual(detector.detect(fill('a')), []);
    assert.ok(performance.now() - t0 < 2000);
  });
});

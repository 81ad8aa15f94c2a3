import * as assert from 'node:assert/strict';
import { Detector } from '../../src/core/redaction/detect';
import { BUILT_IN_TYPES } from '../../src/core/redaction/types';
import { evaluate, generateCorpus, hardNegativeHits, scoreTable, type TypeScore } from './redactionCorpus';

/**
 * Floors per type (precision, recall; overlap ≥ 50% matching, see redactionCorpus.ts). Every type with hard
 * positives misses those by design (4% of its snippets), so recall floors of 0.95 leave room for them and nothing
 * else. Names are a heuristic: lower floors. The figures of the current detectors are printed by
 * `npm run bench:redaction` and listed in docs/redaction.md.
 */
const FLOORS: Record<string, [number, number]> = {
  email: [0.95, 0.95],
  phone: [0.95, 0.95],
  credit_card: [0.95, 0.95],
  iban: [0.95, 0.95],
  ssn: [0.95, 0.95],
  ipv4: [0.95, 0.95],
  ipv6: [0.95, 0.95],
  mac: [0.95, 0.95],
  dob: [0.95, 0.95],
  aws_access_key: [0.95, 0.95],
  aws_secret_key: [0.95, 0.95],
  openai_key: [0.95, 0.95],
  anthropic_key: [0.95, 0.95],
  github_token: [0.95, 0.95],
  slack_token: [0.95, 0.95],
  stripe_key: [0.95, 0.95],
  jwt: [0.95, 0.95],
  private_key: [0.95, 0.95],
  secret: [0.9, 0.9],
  person_name: [0.6, 0.75],
};

describe('redaction corpus: precision and recall per type', () => {
  const corpus = generateCorpus();
  const detector = new Detector({ types: [...BUILT_IN_TYPES] });
  const detectFn = (text: string) => detector.detect(text);
  let scores: TypeScore[] = [];

  before(() => {
    scores = evaluate(corpus, detectFn);
  });

  it('has at least 2,000 labeled snippets covering every built-in type, and hard negatives', () => {
    assert.ok(corpus.length >= 2000, `${corpus.length} snippets`);
    const types = new Set(corpus.flatMap((s) => s.entities.map((e) => e.type)));
    assert.deepEqual([...types].sort(), [...BUILT_IN_TYPES].sort());
    assert.ok(corpus.filter((s) => s.entities.length === 0).length >= 600, 'snippets with hard negatives only');
    for (const s of corpus) for (const e of s.entities) assert.ok(e.end > e.start && e.end <= s.text.length);
    assert.deepEqual(generateCorpus().slice(0, 50), corpus.slice(0, 50), 'deterministic for a seed');
  });

  it('meets the per-type floors', () => {
    const failures: string[] = [];
    for (const [type, [p, r]] of Object.entries(FLOORS)) {
      const s = scores.find((x) => x.type === type);
      if (!s) failures.push(`${type}: no score`);
      else if (s.precision < p || s.recall < r) failures.push(`${type}: P ${s.precision.toFixed(3)} (floor ${p}), R ${s.recall.toFixed(3)} (floor ${r})`);
    }
    assert.deepEqual(failures, [], '\n' + scoreTable(scores));
  });

  it('never reports a card failing Luhn or an IBAN with a bad checksum, nor any hard negative but fake names', () => {
    const hits = hardNegativeHits(corpus, detectFn);
    for (const kind of ['bad-luhn-card', 'bad-iban']) {
      const h = hits.get(kind)!;
      assert.ok(h.total >= 50, `${kind}: ${h.total} cases`);
      assert.equal(h.hit, 0, `${kind}: ${h.examples.join('; ')}`);
    }
    const others = [...hits].filter(([kind, h]) => kind !== 'not-a-name' && h.hit > 0);
    assert.deepEqual(others.map(([kind, h]) => `${kind}: ${h.examples[0]}`), []);
  });

  it('misses what it documents it misses (the hard positives are real, not padding)', () => {
    const missed = (text: string) => !detectFn(text).length;
    assert.ok(missed('write to jane at example dot com'), 'obfuscated email');
    assert.ok(missed('iban de89 3704 0044 0532 0130 00'), 'lower-case IBAN');
    assert.ok(missed('Applicant 078051120 verified'), 'bare SSN without keyword');
    assert.ok(missed('password: abc1234'), 'password under 8 characters');
  });
});

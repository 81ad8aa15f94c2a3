import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { generateSample, toJsonl } from '../../src/core/sample/generateSample';
import { GENESIS_HASH, chainRecords, recordHash } from '../../src/core/integrity/hashChain';

const repo = path.resolve(__dirname, '..', '..', '..');

describe('sample generator', () => {
  const records = generateSample();

  it('is deterministic for a seed, and the committed sample is its output', () => {
    assert.equal(toJsonl(generateSample()), toJsonl(records));
    assert.notEqual(toJsonl(generateSample({ seed: 1 })), toJsonl(records));
    const committed = fs.readFileSync(path.join(repo, 'samples', 'sample.audit.jsonl'), 'utf8');
    assert.equal(committed, toJsonl(records), 'run `npm run sample` after changing the generator');
  });

  it('covers what the views need: sessions, models, chunks, feedback, errors, system events, PII, an injection attempt', () => {
    const types = new Set(records.map((r) => r.type));
    for (const t of ['llm.call', 'feedback', 'session.end', 'system.document_upload', 'system.document_delete', 'system.config_change', 'access.login', 'security.injection_detected']) {
      assert.ok(types.has(t as never), `has ${t}`);
    }
    const calls = records.filter((r) => r.type === 'llm.call');
    assert.ok(new Set(calls.map((r) => r.model)).size >= 3);
    assert.ok(calls.some((r) => (r.retrieval ?? []).length > 0 && r.retrieval!.every((c) => typeof c.score === 'number')));
    assert.ok(calls.some((r) => r.status === 'error'));
    assert.ok(calls.some((r) => r.tool_calls?.length));
    const text = toJsonl(records);
    assert.match(text, /@example\.com/);
    assert.match(text, /Ignore all previous instructions/);
    const seqs = records.map((r) => r.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
    const ts = records.map((r) => r.ts);
    assert.deepEqual([...ts].sort(), ts, 'timestamps are in order');
  });

  it('links every record to the previous one with a SHA-256 hash chain', () => {
    let prev = GENESIS_HASH;
    for (const r of records) {
      assert.equal(r.prev_hash, prev);
      assert.match(r.hash!, /^[0-9a-f]{64}$/);
      assert.equal(recordHash(r as unknown as Record<string, unknown>), r.hash);
      prev = r.hash!;
    }
  });
});

describe('hash chain', () => {
  it('hashes the RFC 8785 canonical form, so key order does not matter but content does', () => {
    const a = recordHash({ b: 1, a: 'x', hash: 'ignored' });
    assert.equal(a, recordHash({ a: 'x', b: 1 }));
    assert.notEqual(a, recordHash({ a: 'y', b: 1 }));
    // sha256 of the canonical text {"a":"x","b":1}
    assert.equal(a, 'cdab067e9f3beb32d1252cfd63e492592fecbf591b0d08cadb24bb17f3864246');
  });

  it('a change to one record breaks the link of the next', () => {
    const chained = chainRecords([{ n: 1 }, { n: 2 }, { n: 3 }] as Record<string, unknown>[]);
    chained[1].n = 20;
    assert.notEqual(recordHash(chained[1]), chained[1].hash);
  });
});

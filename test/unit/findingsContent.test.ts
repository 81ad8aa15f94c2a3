// The content rules (injection, indirect injection, system-prompt leaks, secrets) on the planted fixture
// test/fixtures/findings/content.audit.jsonl (one event per line: rowid = line) and on the sample export.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { runFindings } from '../../src/core/findings/runFindings';
import { CONTENT_RULES, type Finding } from '../../src/core/findings/types';
import { contentFixture, loadFiles, sample, tmpDir } from '../fixtures/findings/build';

const lines = (f: Finding) => f.events.map((e) => e.line);
const byRule = (all: Finding[], rule: string) => all.filter((f) => f.rule === rule).sort((a, b) => a.events[0].line - b.events[0].line);

async function contentFindings(file: string): Promise<Finding[]> {
  const { db, store } = await loadFiles([file]);
  try {
    return await runFindings(store, null, { rules: CONTENT_RULES });
  } finally {
    db.close();
  }
}

function checkFixture(all: Finding[]): void {
  const injection = byRule(all, 'prompt-injection');
  assert.deepEqual(injection.map(lines), [[1], [12], [14]], 'direct injection: not the history copy (line 2) nor the benign "ignore" lines');
  assert.deepEqual(injection[0].details.patterns, ['instruction-override', 'system-prompt-request']);
  assert.equal(injection[0].details.repeats, 1, 'line 2 repeats line 1 in its history');
  assert.equal(injection[0].severity, 'high');
  assert.deepEqual(injection[1].details.patterns, ['encoded-payload']);
  assert.deepEqual(injection[2].details.patterns, ['markdown-image-exfiltration']);

  const indirect = byRule(all, 'indirect-injection');
  assert.deepEqual(indirect.map(lines), [[5, 6], [7]], 'the poisoned chunk is reported once with both events that retrieved it');
  assert.equal(indirect[0].eventCount, 2);
  assert.equal(indirect[0].severity, 'critical');
  assert.deepEqual(indirect[0].details.patterns, ['instruction-override', 'exfiltration-instruction']);
  assert.match(indirect[0].details.source as string, /retrieved chunk doc_refund_policy#4/);
  assert.match(indirect[1].details.source as string, /result of tool lookup_order/);
  assert.deepEqual(indirect[1].details.patterns, ['tool-call-injection']);

  const leaks = byRule(all, 'system-prompt-leak');
  assert.deepEqual(leaks.map(lines), [[8], [17]], 'a short shared phrase (line 9) is not a leak');
  assert.equal(leaks[0].severity, 'high');
  assert.equal(leaks[0].details.ownPrompt, true);
  assert.equal(leaks[0].details.matchedWords, 26);
  assert.equal(leaks[1].details.ownPrompt, false, 'line 17 leaks the prompt set by the configuration change of line 16');
  assert.match(leaks[1].message, /configuration change \(line 16\)/);

  const secrets = byRule(all, 'secret-in-response');
  assert.deepEqual(secrets.map(lines), [[10]], 'the placeholder of line 11 is not a secret');
  assert.match(secrets[0].message, /openai-key sk-pro… \(38 characters\)/);
  assert.ok(!JSON.stringify(all).includes('Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy'), 'no finding carries the secret itself');
  assert.equal(all.length, 8);
}

describe('findings: content rules', () => {
  it('finds the planted injections, indirect injections, leaks and secrets, and nothing in the hard negatives', async () => {
    checkFixture(await contentFindings(contentFixture));
  });

  it('gives the same findings when the content is streamed from a gzip-compressed export', async () => {
    const gz = path.join(tmpDir(), 'content.audit.jsonl.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(contentFixture)));
    const plain = await contentFindings(contentFixture);
    const fromGz = await contentFindings(gz);
    checkFixture(fromGz);
    assert.deepEqual(fromGz.map((f) => f.id), plain.map((f) => f.id));
  });

  it('finds the injection attempt of the sample export and no leak or secret there', async () => {
    const { db, store } = await loadFiles([sample]);
    try {
      const progress: number[] = [];
      const all = await runFindings(store, null, { onProgress: (p) => p.rule === 'content' && p.done !== undefined && progress.push(p.done) });
      const injection = all.filter((f) => f.rule === 'prompt-injection');
      assert.equal(injection.length, 1);
      assert.deepEqual(lines(injection[0]), [77]);
      assert.equal(injection[0].details.sessionId, 'sess_f1582c4b');
      assert.deepEqual(injection[0].details.patterns, ['instruction-override', 'jailbreak-persona', 'system-prompt-request', 'script-injection']);
      assert.equal(all[0].id, injection[0].id, 'the most severe finding comes first');
      assert.deepEqual(all.filter((f) => ['indirect-injection', 'system-prompt-leak', 'secret-in-response'].includes(f.rule)), []);
      // The sample's timeouts (30 s) are its latency outliers; nothing else is unusual in it.
      assert.deepEqual(all.map((f) => f.rule).sort(), ['latency-outlier', 'latency-outlier', 'prompt-injection']);
      assert.deepEqual(all.filter((f) => f.rule === 'latency-outlier').map((f) => lines(f).sort()).sort(), [[103, 111, 118], [86]]);
      assert.ok(progress.length > 0);
    } finally {
      db.close();
    }
  });

  it('finds a system-prompt leak planted in the sample', async () => {
    const records = fs.readFileSync(sample, 'utf8').trim().split('\n');
    const leaked = JSON.parse(records[91]); // line 92, an ordinary answer
    leaked.response.content = `Here are my instructions: ${leaked.messages[0].content}`;
    records[91] = JSON.stringify(leaked);
    const file = path.join(tmpDir(), 'sample-with-leak.audit.jsonl');
    fs.writeFileSync(file, records.join('\n') + '\n');
    const leaks = (await contentFindings(file)).filter((f) => f.rule === 'system-prompt-leak');
    assert.deepEqual(leaks.map(lines), [[92]]);
    assert.equal(leaks[0].details.promptWords, 35);
  });
});

// OpenAI Batch API input, output and error files (tools/openai-batch-fixtures: response bodies from the local fake
// provider); expected.json states what was requested and answered.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'openai-batch');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const input = path.join(dir, expected.files.input);
const output = path.join(dir, expected.files.output);
const errors = path.join(dir, expected.files.errors);

async function load(paths: string[]) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, paths)) };
}

interface Req { custom_id: string; url: string; requestModel: string; responseModel: string | null; statusCode: number | null; error: string | null; promptTokens: number | null; completionTokens: number | null }

describe('OpenAI Batch API files', () => {
  it('detects input and output lines as their own dialects', async () => {
    const { db, summary } = await load([input, output, errors]);
    assert.equal(summary.skipped, 0);
    assert.deepEqual(summary.files.map((f) => f.dialects), [
      { 'openai-batch-input': expected.lines.input },
      { 'openai-batch-output': expected.lines.output },
      { 'openai-batch-output': expected.lines.errors },
    ]);
    db.close();
  });

  for (const order of [[input, output, errors], [errors, output, input]]) {
    it(`joins each request with its result by custom_id (${order.map((p) => path.basename(p)).join(', ')})`, async () => {
      const { db, store, summary } = await load(order);
      assert.equal(summary.eventsByKind.llm, expected.calls.llm);
      assert.equal(summary.eventsByKind.embedding, expected.calls.embedding);
      assert.equal(summary.eventsByKind.message, expected.requests, 'the other half of each request, linked to it');
      assert.equal(summary.inputTokens, expected.totals.inputTokens);
      assert.equal(summary.outputTokens, expected.totals.outputTokens);
      assert.equal(summary.errors, expected.calls.failed);
      assert.equal(summary.users, expected.users.count);
      assert.equal(summary.sessions, expected.sessions.count);
      const rows = store.query(
        `SELECT span_id, request_model, response_model, input_tokens, output_tokens, CASE status WHEN 'error' THEN error_type END
         FROM events WHERE kind <> 'message' ORDER BY span_id`,
      ).rows;
      assert.deepEqual(
        rows,
        expected.perRequest.map((r: Req) => [r.custom_id, r.requestModel, r.responseModel, r.promptTokens, r.completionTokens, r.error]),
      );
      const models = store.query('SELECT DISTINCT request_model FROM events WHERE request_model IS NOT NULL ORDER BY 1').rows.map((r: SqlValue[]) => r[0]);
      assert.deepEqual(models, expected.requestModels);
      db.close();
    });
  }

  it('reads back a joined call: the request messages from the input, the answer and tool call from the output', async () => {
    const { db, store, summary } = await load([input, output]);
    const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
    const read = async (customId: string) => {
      const rowid = store.query("SELECT rowid FROM events WHERE span_id = ? AND kind <> 'message'", [customId]).rows[0][0] as number;
      const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
      assert.ok(back);
      return back.event;
    };
    const first = await read('review-0001');
    assert.equal(first.content.system, 'Classify the sentiment of the review and explain in one sentence.');
    assert.equal(first.content.input.find((m) => m.role === 'user')?.content, 'Arrived a day early, great packaging!');
    assert.match(first.content.output[0]?.content ?? '', /^Positive/);
    assert.equal(first.finishReason, 'stop');
    const tool = await read('review-0003');
    assert.deepEqual(tool.content.toolCalls.map((t) => [t.name, t.arguments]), [['tag_ticket', { tags: ['refund', 'damaged'] }]]);
    const row = store.query("SELECT preview, temperature, max_tokens, user_id, session_id, status FROM events WHERE span_id = 'review-0001' AND kind = 'llm'").rows[0];
    assert.deepEqual(row, ['Arrived a day early, great packaging!', 0, 64, 'batch-user-01', 'batch-sess-0001', 'ok']);
    db.close();
  });

  it('reads the output alone: responses, usage and errors without the requests', async () => {
    const { db, summary } = await load([output, errors]);
    assert.equal(summary.events, expected.requests);
    assert.equal(summary.inputTokens, expected.totals.inputTokens);
    assert.equal(summary.errors, expected.calls.failed);
    db.close();
  });

  it('audit-lens summary --json gives the counts the generator wrote', function () {
    this.timeout(20_000);
    const out = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'summary', input, output, errors, '--json'], { encoding: 'utf8' }));
    assert.equal(out.skipped, 0);
    assert.equal(out.eventsByKind.llm, expected.calls.llm);
    assert.equal(out.inputTokens, expected.totals.inputTokens);
    assert.equal(out.outputTokens, expected.totals.outputTokens);
    assert.equal(out.errors, expected.calls.failed);
    assert.equal(out.users, expected.users.count);
    assert.deepEqual(out.models, expected.requestModels);
  });
});

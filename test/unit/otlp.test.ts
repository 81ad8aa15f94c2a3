// The OTLP JSON fixtures were written by the real openai SDK + @opentelemetry/instrumentation-openai through the
// real OTLP/HTTP JSON exporters (tools/otel-fixtures); expected.json is what that scenario sent and received.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { anyValue, attributes, otlpId } from '../../src/core/formats/otlp';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'otel');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));

interface Call { requestModel: string; responseModel: string | null; ok: boolean; sessionId: string; userId: string; promptTokens: number | null; completionTokens: number | null; errorType: string | null; finishReason: string | null; responseId: string | null }

const RUNS: { name: string; traces: string; logs: string; run: { calls: { attempted: number; failed: number }; logRecords: number; totals: { inputTokens: number; outputTokens: number }; perCall: Call[] } }[] = [
  { name: 'Chat Completions (default conventions)', traces: expected.files.traces, logs: expected.files.logs, run: expected },
  { name: 'Responses API (newer conventions)', traces: expected.runs.responses.files.traces, logs: expected.runs.responses.files.logs, run: expected.runs.responses },
];

describe('OTLP JSON from the real OpenTelemetry instrumentation', () => {
  for (const { name, traces, logs, run } of RUNS) {
    describe(name, () => {
      it('loads traces and logs together: every span and log record, no skipped line', async () => {
        const db = await openDatabase(wasm);
        const { summary } = await loadSources(db, [path.join(dir, traces), path.join(dir, logs)]);
        assert.equal(summary.skipped, 0);
        assert.deepEqual(summary.files.map((f) => f.dialects), [{ 'otlp-traces': 3 }, { 'otlp-logs': 3 }]);
        assert.equal(summary.eventsByKind.llm, run.calls.attempted);
        assert.equal(summary.eventsByKind.tool, 1);
        assert.equal(summary.eventsByKind.chain, 7);
        assert.equal(summary.eventsByKind.message, run.logRecords);
        assert.equal(summary.inputTokens, run.totals.inputTokens);
        assert.equal(summary.outputTokens, run.totals.outputTokens);
        assert.equal(summary.sessions, expected.sessions.count);
        assert.equal(summary.users, expected.users.count);
        db.close();
      });

      it('gives every model call the session, user, models, tokens and outcome the scenario had', async () => {
        const db = await openDatabase(wasm);
        const { store } = await loadSources(db, [path.join(dir, traces), path.join(dir, logs)]);
        const rows = store.query(
          `SELECT session_id, user_id, request_model, response_model, input_tokens, output_tokens, status, error_type, finish_reason, id, environment, service, parent_span_id IS NOT NULL
           FROM events WHERE kind = 'llm' ORDER BY ts, rowid`,
        ).rows;
        const got = rows.map((r: SqlValue[]) => r.slice(0, 9)).sort();
        const want = run.perCall
          .map((c) => [c.sessionId, c.userId, c.requestModel, c.responseModel, c.promptTokens, c.completionTokens, c.ok ? 'ok' : 'error', c.errorType, c.finishReason])
          .sort();
        assert.deepEqual(got, want);
        for (const r of rows) {
          assert.equal(r[10], 'production');
          assert.equal(r[11], 'acme-support-bot');
          assert.equal(r[12], 1, 'client spans are children of the app span');
        }
        db.close();
      });

      it('keeps the code location (current and deprecated keys) and the exception stack trace of the app spans', async () => {
        const db = await openDatabase(wasm);
        const { store } = await loadSources(db, [path.join(dir, traces)]);
        const rows = store.query("SELECT code_file, code_line, code_function, status, has_stacktrace FROM events WHERE type = 'chat turn'").rows;
        assert.equal(rows.length, 7);
        for (const r of rows) assert.deepEqual(r.slice(0, 3), ['tools/otel-fixtures/scenario.mjs', 217, 'handleTurn']);
        assert.equal(rows.filter((r: SqlValue[]) => r[3] === 'error' && r[4] === 1).length, 2);
        db.close();
      });

      it('joins a call with its content from the logs file when it is read back', async () => {
        const db = await openDatabase(wasm);
        const { store, summary } = await loadSources(db, [path.join(dir, traces), path.join(dir, logs)]);
        const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
        const first = run.perCall[0];
        const rowid = store.query("SELECT rowid FROM events WHERE kind = 'llm' AND id = ?", [first.responseId]).rows[0][0] as number;
        const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
        assert.ok(back);
        const ev = back.event;
        assert.match(ev.content.system ?? '', /^You are Acme Support Bot\./);
        assert.ok(ev.content.input.some((m) => m.role === 'user' && m.content.includes('jane.doe@example.com')));
        assert.ok(ev.content.toolCalls.some((t) => t.name === 'get_order_status'), JSON.stringify(ev.content.toolCalls));
        assert.equal(ev.sessionId, first.sessionId, 'inherited from the root span of its trace');
        assert.equal(ev.userId, first.userId);
        const preview = store.query('SELECT preview, session_id FROM events WHERE rowid = ?', [rowid]).rows[0];
        assert.match(String(preview[0]), /jane\.doe@example\.com/);
        assert.equal(preview[1], first.sessionId);
        db.close();
      });
    });
  }

  it('audit-lens summary --json gives the counts the generator sent', () => {
    const cli = path.join(repo, 'dist', 'cli.js');
    for (const { traces, logs, run } of RUNS) {
      const out = JSON.parse(execFileSync(process.execPath, [cli, 'summary', path.join(dir, traces), path.join(dir, logs), '--json'], { encoding: 'utf8' }));
      assert.equal(out.skipped, 0);
      assert.equal(out.eventsByKind.llm, run.calls.attempted);
      assert.equal(out.inputTokens, run.totals.inputTokens);
      assert.equal(out.outputTokens, run.totals.outputTokens);
      assert.equal(out.sessions, expected.sessions.count);
      assert.equal(out.users, expected.users.count);
      assert.deepEqual(out.models.sort(), [...new Set(run.perCall.map((c) => c.requestModel))].sort());
      assert.deepEqual(out.files.map((f: { format: string }) => f.format), ['jsonl', 'jsonl']);
    }
  });
});

describe('OTLP value decoding', () => {
  it('unwraps every AnyValue form, ints as numbers or strings, and treats {} as no value', () => {
    assert.deepEqual(
      attributes([
        { key: 's', value: { stringValue: 'x' } },
        { key: 'i', value: { intValue: '443' } },
        { key: 'j', value: { intValue: 12 } },
        { key: 'd', value: { doubleValue: 0.2 } },
        { key: 'b', value: { boolValue: true } },
        { key: 'a', value: { arrayValue: { values: [{ stringValue: 'stop' }] } } },
        { key: 'k', value: { kvlistValue: { values: [{ key: 'content', value: { stringValue: 'hi' } }] } } },
        { key: 'e', value: {} },
      ]),
      { s: 'x', i: 443, j: 12, d: 0.2, b: true, a: ['stop'], k: { content: 'hi' }, e: null },
    );
    assert.equal(anyValue(undefined), null);
  });

  it('reads ids in hex or base64 (the protobuf JSON mapping) as lowercase hex', () => {
    assert.equal(otlpId('5B8EFFF798038103D269B633813FC60C'), '5b8efff798038103d269b633813fc60c');
    assert.equal(otlpId(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex').toString('base64')), '5b8efff798038103d269b633813fc60c');
    assert.equal(otlpId(Buffer.from('eee19b7ec3c1b174', 'hex').toString('base64')), 'eee19b7ec3c1b174');
    assert.equal(otlpId('0000000000000000'), null);
    assert.equal(otlpId(''), null);
  });
});

// Traceloop / OpenLLMetry spans in OTLP JSON, written by the real @traceloop/node-server-sdk (0.27, and 0.22 for the
// older indexed attributes) around the real openai SDK (tools/traceloop-fixtures); expected.json holds both runs.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { mapValue } from '../../src/core/formats/mapValue';
import { loadSources } from '../../src/core/store/loadSources';
import { openDatabase } from '../../src/core/store/openDatabase';
import { readEventWithContent } from '../../src/core/store/readBack';
import type { SqlValue } from '../../src/shared/protocol';

const repo = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(repo, 'test', 'fixtures', 'traceloop');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
const KIND: Record<string, string> = { workflow: 'chain', task: 'chain', agent: 'agent', tool: 'tool', other: 'llm', 'llm:chat': 'llm' };

interface Run {
  files: { traces: string };
  versions: Record<string, string>;
  lines: number;
  spans: number;
  spansByKind: Record<string, number>;
  calls: { modelSpans: number; errorSpans: number };
  totals: { inputTokens: number; outputTokens: number };
  sessions: { count: number; ids: string[] };
  users: { count: number; ids: string[] };
  modelsInTrace: string[];
  perCall: { spanExported: boolean; requestModel: string; responseModel: string | null; promptTokensInSpan: number | null; completionTokensInSpan: number | null }[];
}

async function load(file: string) {
  const db = await openDatabase(wasm);
  return { db, ...(await loadSources(db, [path.join(dir, file)])) };
}

describe('Traceloop / OpenLLMetry spans from the real SDK', () => {
  for (const [name, run] of Object.entries(expected.runs as Record<string, Run>)) {
    describe(`${name} (@traceloop/node-server-sdk ${run.versions['@traceloop/node-server-sdk']})`, () => {
      it('is detected as traceloop; workflows, tasks, agents, tools and model calls', async () => {
        const { db, summary } = await load(run.files.traces);
        assert.equal(summary.skipped, 0);
        assert.deepEqual(summary.files[0].dialects, { traceloop: run.lines });
        assert.equal(summary.events, run.spans);
        const want: Record<string, number> = {};
        for (const [k, n] of Object.entries(run.spansByKind)) want[KIND[k]] = (want[KIND[k]] ?? 0) + n;
        assert.deepEqual({ ...summary.eventsByKind }, want);
        assert.equal(summary.eventsByKind.llm, run.calls.modelSpans);
        db.close();
      });

      it('gives sessions and users from the association properties, tokens and models as the spans carry them', async () => {
        const { db, store, summary } = await load(run.files.traces);
        assert.equal(summary.inputTokens, run.totals.inputTokens);
        assert.equal(summary.outputTokens, run.totals.outputTokens);
        assert.equal(summary.sessions, run.sessions.count);
        assert.deepEqual(store.query('SELECT id, user_id FROM sessions ORDER BY id').rows, run.sessions.ids.map((s, i) => [s, run.users.ids[i]]));
        assert.equal(summary.users, run.users.count);
        assert.equal(summary.errors, run.calls.errorSpans);
        assert.deepEqual(store.query("SELECT DISTINCT request_model FROM events WHERE kind = 'llm' ORDER BY 1").rows.map((r: SqlValue[]) => r[0]), run.modelsInTrace);
        const calls = store.query("SELECT request_model, response_model, input_tokens, output_tokens, provider FROM events WHERE kind = 'llm' ORDER BY ts, rowid").rows;
        const want = run.perCall.filter((c) => c.spanExported).map((c) => [c.requestModel, c.responseModel, c.promptTokensInSpan, c.completionTokensInSpan, 'openai']);
        assert.deepEqual(calls, want);
        db.close();
      });

      it('reads back messages, tool calls and the entity input/output', async () => {
        const { db, store, summary } = await load(run.files.traces);
        const files = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
        const read = async (where: string) => {
          const rowid = store.query(`SELECT rowid FROM events WHERE ${where} ORDER BY ts, rowid LIMIT 1`).rows[0][0] as number;
          const back = await readEventWithContent(files, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
          assert.ok(back);
          return back.event;
        };
        const first = await read("kind = 'llm'");
        assert.equal(first.content.system, 'You are the Acme travel assistant.');
        assert.ok(first.content.input.some((m) => m.role === 'user' && m.content.includes('London to New York')));
        assert.deepEqual(first.content.toolCalls.map((t) => [t.name, t.arguments]), [['find_flights', { from: 'LHR', to: 'JFK', date: '2025-07-01' }]]);
        assert.equal(first.finishReason === 'tool_calls' || first.finishReason === 'tool_call', true, String(first.finishReason));
        assert.equal(first.temperature, 0.3);
        const tool = await read("kind = 'tool'");
        assert.deepEqual(tool.content.toolCalls[0].arguments, { from: 'LHR', to: 'JFK', date: '2025-07-01' });
        assert.deepEqual(tool.content.toolCalls[0].result, [{ flight: 'BA117', dep: '08:25', price_gbp: 412 }]);
        const workflow = await read("operation = 'workflow' AND session_id = 'tl-sess-0002'");
        assert.match(workflow.content.output[0].content, /rebooking is unavailable \(500\)/);
        db.close();
      });
    });
  }

  it('maps the older indexed attributes and an error span (built by hand: the SDK never exports a failed call)', () => {
    const a = (key: string, value: Record<string, unknown>) => ({ key, value });
    const span = {
      traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'openai.chat', startTimeUnixNano: '1735689600000000000', endTimeUnixNano: '1735689601000000000',
      status: { code: 2, message: '500 The server had an error' },
      attributes: [
        a('llm.request.type', { stringValue: 'chat' }), a('gen_ai.system', { stringValue: 'OpenAI' }), a('gen_ai.request.model', { stringValue: 'gpt-4o-mini' }),
        a('gen_ai.prompt.0.role', { stringValue: 'user' }), a('gen_ai.prompt.0.content', { stringValue: 'Rebook me.' }),
        a('gen_ai.completion.0.role', { stringValue: 'assistant' }), a('gen_ai.completion.0.content', { stringValue: 'null' }),
        a('gen_ai.completion.0.finish_reason', { stringValue: 'tool_calls' }),
        a('gen_ai.completion.0.tool_calls.0.name', { stringValue: 'rebook' }), a('gen_ai.completion.0.tool_calls.0.arguments', { stringValue: '{"flight":"BA117"}' }),
        a('gen_ai.usage.prompt_tokens', { intValue: 12 }), a('gen_ai.usage.completion_tokens', { intValue: 3 }), a('llm.usage.total_tokens', { intValue: 15 }),
        a('traceloop.association.properties.session_id', { stringValue: 's-9' }), a('traceloop.association.properties.user_id', { stringValue: 'u-9' }),
      ],
    };
    const m = mapValue({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] }, { fileIndex: 0, line: 1, byteOffset: 0, byteLength: 1 });
    assert.ok(m.ok && m.dialect === 'traceloop');
    const ev = m.events[0];
    assert.deepEqual(
      [ev.kind, ev.provider, ev.requestModel, ev.inputTokens, ev.outputTokens, ev.sessionId, ev.userId, ev.status, ev.errorMessage, ev.finishReason, ev.preview],
      ['llm', 'openai', 'gpt-4o-mini', 12, 3, 's-9', 'u-9', 'error', '500 The server had an error', 'tool_calls', 'Rebook me.'],
    );
    assert.deepEqual(ev.content.output, [{ role: 'assistant', content: '' }]);
    assert.deepEqual(ev.content.toolCalls, [{ name: 'rebook', arguments: { flight: 'BA117' } }]);
  });

  it('audit-lens summary --json gives the counts of both runs', function () {
    this.timeout(20_000);
    for (const run of Object.values(expected.runs as Record<string, Run>)) {
      const out = JSON.parse(execFileSync(process.execPath, [path.join(repo, 'dist', 'cli.js'), 'summary', path.join(dir, run.files.traces), '--json'], { encoding: 'utf8' }));
      assert.deepEqual(out.files[0].dialects, { traceloop: run.lines });
      assert.equal(out.eventsByKind.llm, run.calls.modelSpans);
      assert.equal(out.inputTokens, run.totals.inputTokens);
      assert.equal(out.outputTokens, run.totals.outputTokens);
      assert.equal(out.sessions, run.sessions.count);
      assert.equal(out.users, run.users.count);
      assert.deepEqual(out.models, run.modelsInTrace);
    }
  });
});

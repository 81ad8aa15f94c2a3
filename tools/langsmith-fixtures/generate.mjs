#!/usr/bin/env node
// Writes test/fixtures/langsmith/: a LangSmith run export (runs as the API's Run schema returns them: what
// `client.listRuns()` yields and the UI's export holds), as JSON Lines (runs.jsonl) and as a JSON array (runs.json),
// built from the published schema (see README.md). Three traces in two threads (`extra.metadata.thread_id`):
// a LangChain agent (chain → retriever → llm with a tool call → tool → llm), a wrapOpenAI-style call with
// usage_metadata, and a failed call (RateLimitError) plus an embedding run. Parent runs carry the aggregated token
// counts of their trace, as LangSmith returns them.
//
//   node tools/langsmith-fixtures/generate.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '../../test/fixtures/langsmith');
const PROJECT = '7d1c2f4e-0000-4a1b-9c3d-5e6f7a8b9c0d'; // session_id: the tracing project, not a conversation
const T0 = Date.parse('2025-05-20T08:30:00.000Z');

let runN = 0;
const uuid = (n) => `01970a3c-${String(n).padStart(4, '0')}-7000-8000-${String(n).padStart(12, '0')}`;
// LangSmith returns naive UTC times with microseconds.
const time = (ms) => new Date(T0 + ms).toISOString().replace('Z', '').replace(/(\.\d{3})$/, '$1000');
const stamp = (ms) => new Date(T0 + ms).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1000Z');

const runs = [];
function run({ name, type, start, end, parent, trace, inputs, outputs, error, metadata, tags = [], usage, cost, invocation }) {
  const id = uuid(++runN);
  const traceId = trace ?? id;
  const parentRun = runs.find((r) => r.id === parent);
  const dotted = `${parentRun ? parentRun.dotted_order + '.' : ''}${stamp(start)}${id}`;
  const r = {
    id, name, run_type: type,
    start_time: time(start), end_time: time(end),
    extra: { metadata: { ...metadata, ...(invocation ? { ls_provider: invocation.provider, ls_model_name: invocation.model, ls_model_type: 'chat', ls_temperature: invocation.temperature } : {}) }, runtime: { sdk: 'langsmith-js', sdk_version: '0.3.30', library: 'langsmith', platform: 'node', runtime: 'node', runtime_version: '20.19.0' }, ...(invocation ? { invocation_params: { model: invocation.model, temperature: invocation.temperature, max_tokens: invocation.maxTokens } } : {}) },
    error: error ?? null, serialized: null,
    events: [{ name: 'start', time: time(start) }, ...(error ? [] : [{ name: 'end', time: time(end) }])],
    inputs, outputs: outputs ?? null, reference_example_id: null, parent_run_id: parent ?? null, tags,
    session_id: PROJECT, trace_id: traceId, dotted_order: dotted,
    status: error ? 'error' : 'success', child_run_ids: null, direct_child_run_ids: null,
    prompt_tokens: usage?.prompt ?? 0, completion_tokens: usage?.completion ?? 0, total_tokens: (usage?.prompt ?? 0) + (usage?.completion ?? 0),
    first_token_time: null, total_cost: cost ?? null, prompt_cost: cost !== undefined ? Math.round(cost * 0.3 * 1e10) / 1e10 : null, completion_cost: cost !== undefined ? Math.round(cost * 0.7 * 1e10) / 1e10 : null,
    feedback_stats: null, app_path: `/o/00000000-0000-0000-0000-000000000000/projects/p/${PROJECT}/r/${id}?trace_id=${traceId}&start_time=${time(start)}`,
    in_dataset: false,
  };
  runs.push(r);
  return id;
}
const lc = (cls, content, extra = {}) => ({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', cls], kwargs: { content, ...extra } });
const SYSTEM = 'You are the Acme returns agent. Use tools when needed.';
const M1 = { thread_id: 'ls-thread-0001', user_id: 'ls-user-01', revision_id: 'v2.4.0' };
const M2 = { thread_id: 'ls-thread-0002', user_id: 'ls-user-02', revision_id: 'v2.4.0' };
const MINI = { provider: 'openai', model: 'gpt-4o-mini', temperature: 0.1, maxTokens: 300 };

// Trace 1: a LangChain agent.
const LLM1 = { prompt: 310, completion: 22 };
const LLM2 = { prompt: 365, completion: 31 };
const root1 = run({ name: 'ReturnsAgent', type: 'chain', start: 0, end: 2400, inputs: { input: 'Can I still return order R-5512?' }, outputs: { output: 'Yes, order R-5512 can be returned until June 2.' }, metadata: M1, tags: ['agent', 'prod'], usage: { prompt: LLM1.prompt + LLM2.prompt, completion: LLM1.completion + LLM2.completion }, cost: 0.0001395 });
run({ name: 'kb_search', type: 'retriever', parent: root1, trace: root1, start: 10, end: 180, inputs: { query: 'return window order R-5512' }, outputs: { documents: [
  { page_content: 'Items can be returned within 30 days of delivery.', metadata: { source: 'kb/returns.md', id: 'kb-returns-1', score: 0.88 }, type: 'Document' },
  { page_content: 'Orders placed with a promo code are final sale.', metadata: { source: 'kb/promo.md', id: 'kb-promo-2', score: 0.41 }, type: 'Document' },
] }, metadata: M1 });
run({ name: 'ChatOpenAI', type: 'llm', parent: root1, trace: root1, start: 200, end: 1100, invocation: MINI, metadata: M1, usage: LLM1, cost: 0.0000597,
  inputs: { messages: [[lc('SystemMessage', SYSTEM), lc('HumanMessage', 'Can I still return order R-5512?')]] },
  outputs: { generations: [[{ text: '', type: 'ChatGeneration', generation_info: { finish_reason: 'tool_calls' }, message: lc('AIMessage', '', { tool_calls: [{ name: 'get_order', args: { order_id: 'R-5512' }, id: 'call_ls_0001', type: 'tool_call' }], response_metadata: { model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'tool_calls' }, usage_metadata: { input_tokens: LLM1.prompt, output_tokens: LLM1.completion, total_tokens: LLM1.prompt + LLM1.completion } }) }]], llm_output: { token_usage: { prompt_tokens: LLM1.prompt, completion_tokens: LLM1.completion, total_tokens: LLM1.prompt + LLM1.completion }, model_name: 'gpt-4o-mini-2024-07-18' } },
});
run({ name: 'get_order', type: 'tool', parent: root1, trace: root1, start: 1110, end: 1190, inputs: { input: '{"order_id":"R-5512"}' }, outputs: { output: '{"order_id":"R-5512","delivered":"2025-05-03","promo":false}' }, metadata: M1 });
run({ name: 'ChatOpenAI', type: 'llm', parent: root1, trace: root1, start: 1200, end: 2350, invocation: MINI, metadata: M1, usage: LLM2, cost: 0.0000798,
  inputs: { messages: [[lc('SystemMessage', SYSTEM), lc('HumanMessage', 'Can I still return order R-5512?'), lc('AIMessage', '', { tool_calls: [{ name: 'get_order', args: { order_id: 'R-5512' }, id: 'call_ls_0001' }] }), lc('ToolMessage', '{"order_id":"R-5512","delivered":"2025-05-03","promo":false}', { tool_call_id: 'call_ls_0001' })]] },
  outputs: { generations: [[{ text: 'Yes, order R-5512 can be returned until June 2.', type: 'ChatGeneration', generation_info: { finish_reason: 'stop' }, message: lc('AIMessage', 'Yes, order R-5512 can be returned until June 2.', { response_metadata: { model_name: 'gpt-4o-mini-2024-07-18', finish_reason: 'stop' }, usage_metadata: { input_tokens: LLM2.prompt, output_tokens: LLM2.completion, total_tokens: LLM2.prompt + LLM2.completion, input_token_details: { cache_read: 256 } } }) }]], llm_output: { model_name: 'gpt-4o-mini-2024-07-18' } },
});

// Trace 2 (same thread): a traceable function around a wrapOpenAI call (OpenAI-shaped inputs and outputs).
const LLM3 = { prompt: 64, completion: 18 };
const root2 = run({ name: 'answer_followup', type: 'chain', start: 60_000, end: 61_500, inputs: { question: 'And do I pay for the return label?' }, outputs: { answer: 'No, return labels are free for orders over $50.' }, metadata: M1, tags: ['prod'], usage: LLM3, cost: 0.0000204 });
run({ name: 'ChatOpenAI', type: 'llm', parent: root2, trace: root2, start: 60_050, end: 61_450, invocation: { ...MINI, provider: 'openai' }, metadata: { ...M1, ls_invocation_params: { stream: false } }, usage: LLM3, cost: 0.0000204,
  inputs: { messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'And do I pay for the return label?' }], model: 'gpt-4o-mini', temperature: 0.1 },
  outputs: { id: 'chatcmpl-ls-0003', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message: { role: 'assistant', content: 'No, return labels are free for orders over $50.' }, finish_reason: 'stop' }], usage_metadata: { input_tokens: LLM3.prompt, output_tokens: LLM3.completion, total_tokens: LLM3.prompt + LLM3.completion, output_token_details: { reasoning: 0 } } },
});

// Trace 3 (second thread and user): an embedding run, then a rate-limited call.
const root3 = run({ name: 'ReturnsAgent', type: 'chain', start: 300_000, end: 300_900, inputs: { input: 'Where do I drop off the parcel?' }, error: 'RateLimitError: 429 Rate limit reached for gpt-4o-mini', metadata: M2, tags: ['agent', 'prod'], usage: { prompt: 5, completion: 0 }, cost: 0.0000001 });
run({ name: 'OpenAIEmbeddings', type: 'embedding', parent: root3, trace: root3, start: 300_010, end: 300_120, invocation: { provider: 'openai', model: 'text-embedding-3-small' }, metadata: M2, usage: { prompt: 5, completion: 0 }, cost: 0.0000001, inputs: { input: ['drop off parcel'] }, outputs: { embeddings: [[0.011, -0.024, 0.093]] } });
run({ name: 'ChatOpenAI', type: 'llm', parent: root3, trace: root3, start: 300_150, end: 300_850, invocation: MINI, metadata: M2, error: "RateLimitError('Error code: 429 - Rate limit reached for gpt-4o-mini')",
  inputs: { messages: [[lc('SystemMessage', SYSTEM), lc('HumanMessage', 'Where do I drop off the parcel?')]] } });

// child_run_ids as the API fills them when asked
for (const r of runs) {
  const kids = runs.filter((c) => c.parent_run_id === r.id).map((c) => c.id);
  r.child_run_ids = kids.length ? kids : null;
  r.direct_child_run_ids = r.child_run_ids;
}

fs.mkdirSync(OUT_DIR, { recursive: true });
fs.writeFileSync(path.join(OUT_DIR, 'runs.jsonl'), runs.map((r) => JSON.stringify(r)).join('\n') + '\n');
fs.writeFileSync(path.join(OUT_DIR, 'runs.json'), JSON.stringify(runs, null, 2) + '\n');

const byType = {};
for (const r of runs) byType[r.run_type] = (byType[r.run_type] ?? 0) + 1;
const models = runs.filter((r) => r.run_type === 'llm' || r.run_type === 'embedding');
const expected = {
  generator: 'tools/langsmith-fixtures/generate.mjs',
  files: { jsonl: 'runs.jsonl', json: 'runs.json' },
  runs: runs.length,
  byRunType: byType,
  traces: new Set(runs.map((r) => r.trace_id)).size,
  // Only llm and embedding runs count: parent runs carry the aggregated counts of their trace.
  totals: {
    inputTokens: models.reduce((s, r) => s + r.prompt_tokens, 0),
    outputTokens: models.reduce((s, r) => s + r.completion_tokens, 0),
    loggedCostUsd: Math.round(models.reduce((s, r) => s + (r.total_cost ?? 0), 0) * 1e10) / 1e10,
    cachedTokens: 256,
  },
  errors: { runs: runs.filter((r) => r.error).length, llm: runs.filter((r) => r.error && r.run_type === 'llm').length },
  sessions: { count: 2, ids: ['ls-thread-0001', 'ls-thread-0002'] },
  users: { count: 2, ids: ['ls-user-01', 'ls-user-02'] },
  models: ['gpt-4o-mini', 'text-embedding-3-small'],
  retrievedDocuments: [{ id: 'kb-returns-1', score: 0.88 }, { id: 'kb-promo-2', score: 0.41 }],
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${runs.length} runs in ${expected.traces} traces`);

#!/usr/bin/env node
// Regenerates test/fixtures/openinference/ with the real libraries that write OpenInference (Arize Phoenix) traces:
// the `openai` SDK instrumented by @arizeai/openinference-instrumentation-openai (LLM and EMBEDDING spans), the app's
// own AGENT / CHAIN / RETRIEVER / TOOL / GUARDRAIL spans made with @arizeai/openinference-core (withSpan, traceAgent,
// traceTool, getRetrieverAttributes, setSession/setUser/setMetadata/setTags), exported by the OpenTelemetry JS SDK
// through the OTLP/HTTP JSON exporter to the local receiver of tools/otel-fixtures (one TracesData per line).
//
//   npm ci --prefix tools/openinference-fixtures && node tools/openinference-fixtures/generate.mjs
//
// No network beyond 127.0.0.1.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'openinference');
const require = createRequire(import.meta.url);

for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_') || k.startsWith('OPENAI_') || k.startsWith('OPENINFERENCE_')) delete process.env[k];

const api = await import('@opentelemetry/api');
const { resourceFromAttributes } = await import('@opentelemetry/resources');
const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
const oi = require('@arizeai/openinference-core');
const { OpenAIInstrumentation } = require('@arizeai/openinference-instrumentation-openai');
const { startFakeProvider, loopbackFetch } = await import('./fake-provider.mjs');
const { startOtlpReceiver } = await import('../otel-fixtures/otlp-receiver.mjs');

const version = (name) => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', ...name.split('/'), 'package.json'), 'utf8')).version;
const VERSIONS = Object.fromEntries(
  ['openai', '@arizeai/openinference-instrumentation-openai', '@arizeai/openinference-core', '@arizeai/openinference-semantic-conventions',
    '@opentelemetry/api', '@opentelemetry/sdk-trace-node', '@opentelemetry/exporter-trace-otlp-http'].map((n) => [n, version(n)]),
);

const SYSTEM = 'You are the Acme help-center assistant. Answer from the retrieved articles only.';
const CASES = {
  'embed-1': { model: 'text-embedding-3-small', usage: { prompt: 9 }, dims: 8 },
  'tool-1': { model: 'gpt-4o-mini-2024-07-18', toolCall: { id: 'call_oi_0001', name: 'get_order_status', arguments: '{"order_id":"A-1001"}' }, usage: { prompt: 212, completion: 17, cached: 0 } },
  'answer-1': { model: 'gpt-4o-mini-2024-07-18', text: 'Order A-1001 shipped on 2025-03-10; returns are accepted within 30 days.', usage: { prompt: 268, completion: 21, cached: 128 } },
  'stream-2': { model: 'gpt-4o-mini-2024-07-18', chunks: ['Go to Account > Addresses, ', 'edit the address, ', 'and save before the order ships.'], usage: { prompt: 96, completion: 18, cached: 0 } },
  'ratelimit-3': { error: { status: 429, body: { error: { message: 'Rate limit reached for gpt-4o on requests per min (RPM): Limit 500, Used 500, Requested 1.', type: 'requests', param: null, code: 'rate_limit_exceeded' } } } },
  'responses-4': { model: 'o4-mini-2025-04-16', text: 'You can cancel an order until it ships, from Orders > Cancel.', usage: { prompt: 74, completion: 96, cached: 0, reasoning: 64 } },
};

const ARTICLES = [
  { id: 'kb-returns', content: 'Returns are accepted within 30 days of delivery for a full refund.', score: 0.91, metadata: { source: 'help-center', section: 'returns' } },
  { id: 'kb-shipping', content: 'Orders ship within 2 business days; tracking is under Orders.', score: 0.78, metadata: { source: 'help-center', section: 'shipping' } },
];

const SESSIONS = [
  { sessionId: 'oi-sess-0001', userId: 'oi-user-01', metadata: { tenant: 'acme', app_version: '2.3.0' }, tags: ['support', 'rag'] },
  { sessionId: 'oi-sess-0002', userId: 'oi-user-02', metadata: { tenant: 'acme', app_version: '2.3.0' }, tags: ['support'] },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
const provider = await startFakeProvider(CASES);
const receiver = await startOtlpReceiver();
const tracesFile = path.join(OUT_DIR, 'traces.openinference.otlp.jsonl');
const scratchLogs = path.join(os.tmpdir(), `oi-logs-${process.pid}.jsonl`); // this run has no log records
receiver.setTarget({ traces: tracesFile, logs: scratchLogs });

const tracerProvider = new NodeTracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'acme-help-center', 'service.version': '2.3.0', 'deployment.environment.name': 'staging', 'openinference.project.name': 'acme-help-center' }),
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${receiver.origin}/v1/traces` }), { scheduledDelayMillis: 600_000, maxExportBatchSize: 10_000, maxQueueSize: 10_000 })],
});
tracerProvider.register();

const instrumentation = new OpenAIInstrumentation({ tracerProvider });
const openaiModule = require('openai');
instrumentation.manuallyInstrument(openaiModule);
const client = new openaiModule.OpenAI({ apiKey: 'sk-fixture-not-a-real-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0, fetch: loopbackFetch(provider.origin) });
const opts = (c) => ({ headers: { 'x-fixture-case': c } });
const tracer = tracerProvider.getTracer('acme-help-center', '2.3.0');

// --- the app's own spans ---------------------------------------------------------------------------------------
const retrieve = oi.withSpan(
  async (query) => {
    await client.embeddings.create({ model: 'text-embedding-3-small', input: query }, opts('embed-1'));
    return ARTICLES;
  },
  { name: 'kb-search', kind: 'RETRIEVER', tracer, processInput: (q) => oi.getInputAttributes(q), processOutput: (docs) => oi.getRetrieverAttributes({ documents: docs }) },
);
const getOrderStatus = oi.traceTool(
  async ({ order_id }) => ({ order_id, status: 'shipped', shipped_on: '2025-03-10' }),
  { name: 'get_order_status', tracer, attributes: { 'tool.name': 'get_order_status', 'tool.description': 'Look up an Acme order' } },
);
const piiGuard = oi.withSpan(async (text) => ({ passed: !/@/.test(text) }), { name: 'pii-guardrail', kind: 'GUARDRAIL', tracer });

const TOOLS = [{ type: 'function', function: { name: 'get_order_status', description: 'Look up an Acme order', parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] } } }];

const ragAgent = oi.traceAgent(async (question) => {
  const docs = await retrieve(question);
  const context = docs.map((d) => d.content).join('\n');
  const messages = [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: [{ type: 'text', text: question }, { type: 'text', text: `Articles:\n${context}` }] },
  ];
  const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: TOOLS, temperature: 0.2 }, opts('tool-1'));
  const call = first.choices[0].message.tool_calls[0];
  const result = await getOrderStatus(JSON.parse(call.function.arguments));
  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
  const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: TOOLS, temperature: 0.2 }, opts('answer-1'));
  const answer = second.choices[0].message.content;
  await piiGuard(answer);
  return answer;
}, { name: 'help-center-agent', tracer });

const streamAgent = oi.traceAgent(async (question) => {
  const stream = await client.chat.completions.create(
    { model: 'gpt-4o-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }], stream: true, stream_options: { include_usage: true } },
    opts('stream-2'),
  );
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  await new Promise((r) => setTimeout(r, 20)); // the instrumentation ends the span when its tee'd copy is drained
  return text;
}, { name: 'help-center-agent', tracer });

// The 429 propagates: withSpan marks the CHAIN span ERROR with an exception event. (The instrumentation never ends
// the LLM span of a call whose APIPromise rejects, so that call has no span of its own: see README.)
const simpleChain = oi.traceChain(async (question) => {
  const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: question }] }, opts('ratelimit-3'));
  return r.choices[0].message.content;
}, { name: 'answer-question', tracer });

const responsesChain = oi.traceChain(async (question) => {
  const r = await client.responses.create({ model: 'o4-mini', instructions: SYSTEM, input: question }, opts('responses-4'));
  return r.output_text;
}, { name: 'answer-question', tracer });

const inSession = (s, fn) => {
  let ctx = api.context.active();
  ctx = oi.setSession(ctx, { sessionId: s.sessionId });
  ctx = oi.setUser(ctx, { userId: s.userId });
  ctx = oi.setMetadata(ctx, s.metadata);
  ctx = oi.setTags(ctx, s.tags);
  return api.context.with(ctx, fn);
};

const TURNS = [
  { session: 0, run: () => ragAgent('Where is my order A-1001, and can I return it?') },
  { session: 0, run: () => streamAgent('How do I change my shipping address?') },
  { session: 1, run: () => simpleChain('Summarize the refund policy.') },
  { session: 1, run: () => responsesChain('Can I cancel an order?') },
];
for (const t of TURNS) {
  await inSession(SESSIONS[t.session], t.run).catch((err) => console.log(`(expected) turn failed: ${err.status} ${err.message}`));
  await tracerProvider.forceFlush(); // one TracesData per user turn
}
await tracerProvider.shutdown();
await provider.close();
await receiver.close();
fs.rmSync(scratchLogs, { force: true });
if (receiver.errors.length) throw new Error(receiver.errors.join('\n'));
// Exception stack traces hold absolute paths of this checkout: make them repo-relative so the fixture is the same
// wherever it is generated.
fs.writeFileSync(tracesFile, fs.readFileSync(tracesFile, 'utf8').split(`file://${REPO_ROOT}/`).join('').split(`${REPO_ROOT}/`).join(''));

// --- expected.json: what was sent and answered -------------------------------------------------------------------
const chatLike = provider.ledger.filter((e) => e.api !== 'embeddings');
const ok = chatLike.filter((e) => e.status === 200);
// What the trace holds: a rejected call has no span; a streamed call has no token counts (the instrumentation skips
// the usage chunk). Totals below are over the calls whose usage is in the trace.
const inTrace = ok.filter((e) => !e.stream);
const embeddings = provider.ledger.filter((e) => e.api === 'embeddings');
const stats = receiver.stats.get(tracesFile);
const expected = {
  generator: 'tools/openinference-fixtures/generate.mjs',
  versions: VERSIONS,
  files: { traces: path.basename(tracesFile) },
  lines: stats.lines,
  spans: stats.spans,
  spansByKind: { LLM: ok.length, EMBEDDING: embeddings.length, RETRIEVER: 1, TOOL: 1, AGENT: 2, CHAIN: 2, GUARDRAIL: 1 },
  calls: { attempted: chatLike.length, failed: chatLike.length - ok.length, withSpan: ok.length, withUsageInSpan: inTrace.length, embeddings: embeddings.length },
  errorSpans: { CHAIN: 1 },
  totals: {
    inputTokens: inTrace.reduce((n, e) => n + e.usage.promptTokens, 0),
    outputTokens: inTrace.reduce((n, e) => n + e.usage.completionTokens, 0),
    cachedTokens: inTrace.reduce((n, e) => n + (e.usage.cachedTokens ?? 0), 0),
    reasoningTokens: inTrace.reduce((n, e) => n + (e.usage.reasoningTokens ?? 0), 0),
  },
  providerTotals: {
    inputTokens: ok.reduce((n, e) => n + e.usage.promptTokens, 0),
    outputTokens: ok.reduce((n, e) => n + e.usage.completionTokens, 0),
    embeddingInputTokens: embeddings.reduce((n, e) => n + e.usage.promptTokens, 0),
  },
  sessions: { count: SESSIONS.length, ids: SESSIONS.map((s) => s.sessionId) },
  users: { count: new Set(SESSIONS.map((s) => s.userId)).size, ids: SESSIONS.map((s) => s.userId) },
  tags: SESSIONS.map((s) => s.tags),
  retrievedDocuments: ARTICLES.map(({ id, score }) => ({ id, score })),
  embeddingVector: { inputs: embeddings[0].vectors, dims: embeddings[0].dims },
  // llm.model_name is the request model until a non-streamed response overrides it with the response's model.
  modelsInTrace: [...new Set([...ok.map((e) => (e.stream ? e.requestModel : e.responseModel)), ...embeddings.map((e) => e.requestModel)])].sort(),
  perCall: provider.ledger.map((e) => ({
    api: e.api, case: e.case, spanExported: e.status === 200, usageInSpan: e.status === 200 && !e.stream && e.api !== 'embeddings', requestModel: e.requestModel, responseModel: e.responseModel ?? null, stream: e.stream, status: e.status,
    promptTokens: e.usage?.promptTokens ?? null, completionTokens: e.usage?.completionTokens ?? null,
    cachedTokens: e.usage?.cachedTokens ?? null, reasoningTokens: e.usage?.reasoningTokens ?? null,
    finishReason: e.finishReason ?? null,
    // The instrumentation writes llm.finish_reason for Chat Completions only (not for the Responses API).
    finishReasonInSpan: e.status === 200 && e.api === 'chat' ? e.finishReason : null,
    errorCode: e.errorCode ?? null, toolCall: e.toolCall?.name ?? null,
  })),
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${path.relative(REPO_ROOT, tracesFile)} (${stats.lines} lines, ${stats.spans} spans) and expected.json`);

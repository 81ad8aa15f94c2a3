#!/usr/bin/env node
// Regenerates test/fixtures/traceloop/ with the real Traceloop SDK (OpenLLMetry, @traceloop/node-server-sdk): its
// OpenAI instrumentation around the real `openai` SDK, workflows / tasks / agents / tools and association properties
// (session, user, …), exported through the OTLP/HTTP **JSON** exporter (passed to traceloop.initialize as `exporter`;
// the SDK's default is the protobuf exporter) to the receiver of tools/otel-fixtures (one TracesData per line).
//
//   npm ci --prefix tools/traceloop-fixtures && node tools/traceloop-fixtures/generate.mjs
//
// It runs the scenario twice, each in its own process (the SDK installs a global tracer provider): with the current
// SDK (0.27: the GenAI semantic conventions, gen_ai.input.messages / gen_ai.usage.input_tokens) and with the 0.22
// line installed under the alias `traceloop-sdk-0.22` (the older indexed gen_ai.prompt.N.* / gen_ai.completion.N.*,
// gen_ai.usage.prompt_tokens, llm.usage.total_tokens, llm.request.type). expected.json holds both runs.
//
// No network beyond 127.0.0.1 (model calls go to tools/openinference-fixtures/fake-provider.mjs; prompt-registry sync
// is off).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'traceloop');
const require = createRequire(import.meta.url);
const VARIANTS = {
  current: { sdk: '@traceloop/node-server-sdk', instrumentation: '@traceloop/node-server-sdk/node_modules/@traceloop/instrumentation-openai', file: 'traces.traceloop.otlp.jsonl' },
  legacy: { sdk: 'traceloop-sdk-0.22', instrumentation: 'traceloop-sdk-0.22/node_modules/@traceloop/instrumentation-openai', file: 'traces.traceloop-0.22.otlp.jsonl' },
};
const variant = process.argv[2];
if (!variant) {
  // The parent: one child process per SDK version, then expected.json from both.
  const runs = {};
  for (const v of Object.keys(VARIANTS)) {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), v], { stdio: ['ignore', 'inherit', 'inherit'] });
    runs[v] = JSON.parse(fs.readFileSync(path.join(OUT_DIR, `.run-${v}.json`), 'utf8'));
    fs.rmSync(path.join(OUT_DIR, `.run-${v}.json`));
  }
  fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify({ generator: 'tools/traceloop-fixtures/generate.mjs', runs }, null, 2) + '\n');
  console.log('wrote expected.json');
  process.exit(0);
}
const V = VARIANTS[variant];
for (const k of Object.keys(process.env)) if (k.startsWith('OTEL_') || k.startsWith('OPENAI_') || k.startsWith('TRACELOOP_')) delete process.env[k];
process.env.TRACELOOP_TELEMETRY = 'false';

const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
const traceloop = require(V.sdk);
const OpenAIModule = require('openai');
const { startFakeProvider, loopbackFetch } = await import('../openinference-fixtures/fake-provider.mjs');
const { startOtlpReceiver } = await import('../otel-fixtures/otlp-receiver.mjs');

const version = (name) => {
  const p = path.join(HERE, 'node_modules', ...name.split('/'), 'package.json');
  return fs.existsSync(p) ? JSON.parse(fs.readFileSync(p, 'utf8')).version : JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', ...name.split('/node_modules/').pop().split('/'), 'package.json'), 'utf8')).version;
};
const VERSIONS = {
  '@traceloop/node-server-sdk': version(V.sdk),
  '@traceloop/instrumentation-openai': version(V.instrumentation),
  openai: version('openai'),
  '@opentelemetry/exporter-trace-otlp-http': version('@opentelemetry/exporter-trace-otlp-http'),
};

const SYSTEM = 'You are the Acme travel assistant.';
const CASES = {
  'tl-tool': { model: 'gpt-4o-mini-2024-07-18', toolCall: { id: 'call_tl_0001', name: 'find_flights', arguments: '{"from":"LHR","to":"JFK","date":"2025-07-01"}' }, usage: { prompt: 140, completion: 24, cached: 0 } },
  'tl-answer': { model: 'gpt-4o-mini-2024-07-18', text: 'The cheapest flight LHR→JFK on July 1 is BA117 at 08:25 for £412.', usage: { prompt: 210, completion: 28, cached: 128 } },
  'tl-stream': { model: 'gpt-4o-2024-08-06', chunks: ['Carry-on bags ', 'up to 23 kg ', 'are free.'], usage: { prompt: 35, completion: 11, cached: 0 } },
  'tl-500': { error: { status: 500, body: { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } } } },
  'tl-embed': { model: 'text-embedding-3-small', usage: { prompt: 6 }, dims: 8 },
};
const SESSIONS = [
  { session_id: 'tl-sess-0001', user_id: 'tl-user-01', tenant: 'acme-travel' },
  { session_id: 'tl-sess-0002', user_id: 'tl-user-02', tenant: 'acme-travel' },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
const provider = await startFakeProvider(CASES);
const receiver = await startOtlpReceiver();
const tracesFile = path.join(OUT_DIR, V.file);
const scratchLogs = path.join(os.tmpdir(), `tl-logs-${process.pid}.jsonl`);
receiver.setTarget({ traces: tracesFile, logs: scratchLogs });

traceloop.initialize({
  appName: 'acme-travel-bot',
  apiKey: 'tl-fixture-not-a-real-key',
  baseUrl: receiver.origin,
  exporter: new OTLPTraceExporter({ url: `${receiver.origin}/v1/traces` }),
  disableBatch: false,
  traceloopSyncEnabled: false,
  silenceInitializationMessage: true,
  logLevel: 'error',
  instrumentModules: { openAI: OpenAIModule.OpenAI },
});
const client = new OpenAIModule.OpenAI({ apiKey: 'sk-fixture-not-a-real-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0, fetch: loopbackFetch(provider.origin) });
const opts = (c) => ({ headers: { 'x-fixture-case': c } });
const TOOLS = [{ type: 'function', function: { name: 'find_flights', parameters: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' }, date: { type: 'string' } } } } }];

async function planTrip(question) {
  return traceloop.withAgent({ name: 'trip_planner' }, async () => {
    const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: question }];
    const first = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: TOOLS, temperature: 0.3 }, opts('tl-tool'));
    const call = first.choices[0].message.tool_calls[0];
    const flights = await traceloop.withTool({ name: 'find_flights' }, async (args) => [{ flight: 'BA117', dep: '08:25', price_gbp: 412 }], JSON.parse(call.function.arguments));
    messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: JSON.stringify(flights) });
    const second = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, tools: TOOLS, temperature: 0.3 }, opts('tl-answer'));
    return second.choices[0].message.content;
  });
}

const TURNS = [
  { session: 0, workflow: 'plan_trip', run: () => planTrip('Find me the cheapest flight from London to New York on July 1.') },
  {
    session: 0, workflow: 'baggage_question', run: () => traceloop.withTask({ name: 'answer_faq' }, async () => {
      await client.embeddings.create({ model: 'text-embedding-3-small', input: 'baggage allowance carry-on' }, opts('tl-embed'));
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'How heavy can my carry-on be?' }], stream: true, stream_options: { include_usage: true } }, opts('tl-stream'));
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    }),
  },
  // HTTP 500. Traceloop ends neither the LLM span of a rejected call nor an entity span whose function rejects, so
  // the app catches the error inside its task: the task and workflow spans are exported, the failed call has none.
  {
    session: 1, workflow: 'rebook', run: () => traceloop.withTask({ name: 'rebook_flight' }, async () => {
      try {
        const r = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Rebook me on a later flight.' }] }, opts('tl-500'));
        return r.choices[0].message.content;
      } catch (err) {
        return `Sorry, rebooking is unavailable (${err.status}).`;
      }
    }),
  },
];

for (const t of TURNS) {
  const s = SESSIONS[t.session];
  await traceloop
    .withAssociationProperties(s, () => traceloop.withWorkflow({ name: t.workflow }, t.run))
    .catch((err) => console.log(`(expected) ${t.workflow} failed: ${err.status ?? ''} ${err.message}`));
  await traceloop.forceFlush(); // one export request (line) per user turn
}
await provider.close();
await receiver.close();
fs.rmSync(scratchLogs, { force: true });
if (receiver.errors.length) throw new Error(receiver.errors.join('\n'));
fs.writeFileSync(tracesFile, fs.readFileSync(tracesFile, 'utf8').split(`file://${REPO_ROOT}/`).join('').split(`${REPO_ROOT}/`).join(''));

// --- expected.json: what was sent and answered, and which spans the trace holds -----------------------------------
const lines = fs.readFileSync(tracesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const spans = lines.flatMap((d) => d.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
const attr = (span, key) => {
  const a = span.attributes.find((x) => x.key === key)?.value;
  return a ? (a.stringValue ?? a.intValue ?? a.doubleValue ?? a.boolValue) : undefined;
};
const kinds = {};
for (const s of spans) {
  const k = attr(s, 'traceloop.span.kind') ?? (attr(s, 'llm.request.type') ? `llm:${attr(s, 'llm.request.type')}` : 'other');
  kinds[k] = (kinds[k] ?? 0) + 1;
}
const llmSpans = spans.filter((s) => attr(s, 'llm.request.type') !== undefined || attr(s, 'gen_ai.request.model') !== undefined);
// Which span is which call: the 0.22 SDK records no response id, so answered chat calls are paired with the model
// spans in start order (checked by the request model).
const answered = provider.ledger.filter((e) => e.api === 'chat' && e.status === 200);
const byStart = [...llmSpans].sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
if (answered.length !== byStart.length || answered.some((e, i) => attr(byStart[i], 'gen_ai.request.model') !== e.requestModel)) {
  throw new Error(`model spans do not pair with the answered calls (${byStart.length} spans, ${answered.length} calls)`);
}
const spanOf = (e) => byStart[answered.indexOf(e)];
const num = (v) => (v === undefined ? 0 : Number(v));
const chatLike = provider.ledger.filter((e) => e.api !== 'embeddings');
const expected = {
  generator: 'tools/traceloop-fixtures/generate.mjs',
  versions: VERSIONS,
  files: { traces: path.basename(tracesFile) },
  lines: lines.length,
  spans: spans.length,
  spansByKind: kinds,
  calls: {
    attempted: provider.ledger.length, chat: chatLike.length, embeddings: provider.ledger.length - chatLike.length,
    failed: provider.ledger.filter((e) => e.status !== 200).length, modelSpans: llmSpans.length,
    errorSpans: spans.filter((s) => s.status?.code === 2).length,
  },
  // Token totals as the model spans carry them (what the mapper must sum).
  totals: {
    inputTokens: llmSpans.reduce((n, s) => n + num(attr(s, 'gen_ai.usage.prompt_tokens') ?? attr(s, 'gen_ai.usage.input_tokens')), 0),
    outputTokens: llmSpans.reduce((n, s) => n + num(attr(s, 'gen_ai.usage.completion_tokens') ?? attr(s, 'gen_ai.usage.output_tokens')), 0),
    totalTokens: llmSpans.reduce((n, s) => n + num(attr(s, 'llm.usage.total_tokens') ?? attr(s, 'gen_ai.usage.total_tokens')), 0),
  },
  modelsInTrace: [...new Set(llmSpans.map((s) => attr(s, 'gen_ai.request.model')))].sort(),
  providerTotals: {
    inputTokens: provider.ledger.filter((e) => e.status === 200).reduce((n, e) => n + e.usage.promptTokens, 0),
    outputTokens: provider.ledger.filter((e) => e.status === 200).reduce((n, e) => n + e.usage.completionTokens, 0),
  },
  sessions: { count: SESSIONS.length, ids: SESSIONS.map((s) => s.session_id) },
  users: { count: SESSIONS.length, ids: SESSIONS.map((s) => s.user_id) },
  workflows: TURNS.map((t) => t.workflow),
  perCall: provider.ledger.map((e) => ({
    api: e.api, case: e.case, requestModel: e.requestModel, responseModel: e.responseModel ?? null, stream: e.stream, status: e.status,
    promptTokens: e.usage?.promptTokens ?? null, completionTokens: e.usage?.completionTokens ?? null,
    spanExported: spanOf(e) !== undefined,
    // Streamed calls: the instrumentation counts tokens itself (tiktoken), which may differ from the provider's usage.
    promptTokensInSpan: spanOf(e) ? num(attr(spanOf(e), 'gen_ai.usage.prompt_tokens') ?? attr(spanOf(e), 'gen_ai.usage.input_tokens')) : null,
    completionTokensInSpan: spanOf(e) ? num(attr(spanOf(e), 'gen_ai.usage.completion_tokens') ?? attr(spanOf(e), 'gen_ai.usage.output_tokens')) : null,
  })),
};
fs.writeFileSync(path.join(OUT_DIR, `.run-${variant}.json`), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${path.relative(REPO_ROOT, tracesFile)} (${lines.length} lines, ${spans.length} spans) and expected.json`);
process.exit(0);

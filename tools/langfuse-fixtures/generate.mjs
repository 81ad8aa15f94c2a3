#!/usr/bin/env node
// Regenerates test/fixtures/langfuse/:
//
// 1. ingestion.jsonl: the ingestion request bodies ({"batch":[…],"metadata":{…}}, one per line) that the real
//    `langfuse` JS SDK (v3, the ingestion-API client) sends, recorded by a local receiver. Model calls go through the
//    real `openai` SDK wrapped by langfuse's observeOpenAI, against the fake provider of
//    tools/openinference-fixtures (127.0.0.1); others are made with trace()/span()/generation()/event()/score() and
//    their update()/end(), so the batches hold trace-create, span-create/update, generation-create/update,
//    event-create and score-create, and one generation's update arrives in a later batch than its create.
// 2. export/: what the Langfuse UI / public API export of the same project looks like (traces and observations as
//    JSON, JSON Lines and CSV), built here by merging the recorded events by id the way the server upserts them and
//    adding the read-side fields of the public API's TraceWithDetails / ObservationsView (see README for sources).
//
//   npm ci --prefix tools/langfuse-fixtures && node tools/langfuse-fixtures/generate.mjs

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'langfuse');
const EXPORT_DIR = path.join(OUT_DIR, 'export');
for (const k of Object.keys(process.env)) if (k.startsWith('LANGFUSE_') || k.startsWith('OPENAI_')) delete process.env[k];

const { Langfuse, observeOpenAI } = await import('langfuse');
const { OpenAI } = await import('openai');
const { startFakeProvider, loopbackFetch } = await import('../openinference-fixtures/fake-provider.mjs');
const { startIngestionReceiver } = await import('./ingestion-receiver.mjs');

const version = (name) => JSON.parse(fs.readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version;
const VERSIONS = { langfuse: version('langfuse'), 'langfuse-core': version('langfuse-core'), openai: version('openai') };

const SYSTEM = 'You are the Acme returns assistant. Be brief.';
const CASES = {
  'lf-answer': { model: 'gpt-4o-mini-2024-07-18', text: 'Unused items can be returned within 30 days for a full refund.', usage: { prompt: 120, completion: 14, cached: 64 } },
  'lf-tool': { model: 'gpt-4o-mini-2024-07-18', toolCall: { id: 'call_lf_0001', name: 'get_order_status', arguments: '{"order_id":"B-2002"}' }, usage: { prompt: 150, completion: 19, cached: 0 } },
  'lf-tool-answer': { model: 'gpt-4o-mini-2024-07-18', text: 'Order B-2002 is out for delivery today.', usage: { prompt: 190, completion: 11, cached: 0 } },
  'lf-429': { error: { status: 429, body: { error: { message: 'Rate limit reached for gpt-4o on tokens per min (TPM).', type: 'tokens', param: null, code: 'rate_limit_exceeded' } } } },
  'lf-stream': { model: 'gpt-4o-2024-08-06', chunks: ['Exchanges ', 'are free ', 'within 30 days.'], usage: { prompt: 40, completion: 9, cached: 0, reasoning: 0 } },
};

fs.mkdirSync(EXPORT_DIR, { recursive: true });
const ingestionFile = path.join(OUT_DIR, 'ingestion.jsonl');
const provider = await startFakeProvider(CASES);
const receiver = await startIngestionReceiver(ingestionFile);

const clientInitParams = {
  publicKey: 'pk-lf-fixture', secretKey: 'sk-lf-fixture', baseUrl: receiver.origin,
  flushAt: 1000, flushInterval: 0, release: 'support-bot@2.0.1', environment: 'production', requestTimeout: 10_000,
};
const langfuse = new Langfuse(clientInitParams);
// observeOpenAI without a parent makes its own client (a singleton) and copies its config into the trace body, so it
// is configured the way apps usually do it: by environment variables, not clientInitParams (which would put the
// keys and the receiver's random port into the fixture).
Object.assign(process.env, {
  LANGFUSE_PUBLIC_KEY: clientInitParams.publicKey, LANGFUSE_SECRET_KEY: clientInitParams.secretKey, LANGFUSE_BASEURL: receiver.origin,
  LANGFUSE_RELEASE: clientInitParams.release, LANGFUSE_TRACING_ENVIRONMENT: clientInitParams.environment,
});
const openai = new OpenAI({ apiKey: 'sk-fixture-not-a-real-key', baseURL: 'https://api.openai.com/v1', maxRetries: 0, fetch: loopbackFetch(provider.origin) });
const opts = (c) => ({ headers: { 'x-fixture-case': c } });

const SESSIONS = [
  { sessionId: 'lf-sess-0001', userId: 'lf-user-01' },
  { sessionId: 'lf-sess-0002', userId: 'lf-user-02' },
];

// --- Trace 1: manual span + generation (its update in a LATER batch), a score, and a trace update -----------------
{
  const q = 'Can I return unused items?';
  const trace = langfuse.trace({ id: 'lf-trace-0001', name: 'support-chat', ...SESSIONS[0], tags: ['support', 'returns'], metadata: { channel: 'web' }, input: q });
  const span = trace.span({ id: 'lf-obs-0001', name: 'retrieve-policies', input: { query: q } });
  span.end({ output: [{ id: 'policy-returns', score: 0.93 }] });
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: q }];
  const gen = trace.generation({ id: 'lf-obs-0002', name: 'answer', model: 'gpt-4o-mini', modelParameters: { temperature: 0.2, max_tokens: 256 }, input: messages });
  const res = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, temperature: 0.2, max_tokens: 256 }, opts('lf-answer'));
  await langfuse.flushAsync(); // batch 1 ends with the generation-create; its update comes in batch 2
  const u = res.usage;
  gen.end({
    output: res.choices[0].message,
    completionStartTime: new Date(),
    usage: { input: u.prompt_tokens, output: u.completion_tokens, total: u.total_tokens, unit: 'TOKENS' },
    usageDetails: { input: u.prompt_tokens, output: u.completion_tokens, total: u.total_tokens, input_cached_tokens: u.prompt_tokens_details.cached_tokens },
    costDetails: { input: 0.000018, output: 0.0000084, total: 0.0000264 },
  });
  langfuse.score({ traceId: 'lf-trace-0001', observationId: 'lf-obs-0002', name: 'user-feedback', value: 1, comment: 'helpful', dataType: 'NUMERIC' });
  trace.update({ output: res.choices[0].message.content });
  await langfuse.flushAsync();
}

// --- Trace 2: observeOpenAI under a trace: tool call, tool span, event, answer ------------------------------------
{
  const trace = langfuse.trace({ id: 'lf-trace-0002', name: 'support-chat', ...SESSIONS[0], tags: ['support'], input: 'Where is order B-2002?' });
  const traced = observeOpenAI(openai, { parent: trace, generationName: 'chat-with-tools' });
  const messages = [{ role: 'system', content: SYSTEM }, { role: 'user', content: 'Where is order B-2002?' }];
  const tools = [{ type: 'function', function: { name: 'get_order_status', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } }];
  const first = await traced.chat.completions.create({ model: 'gpt-4o-mini', messages, tools }, opts('lf-tool'));
  const call = first.choices[0].message.tool_calls[0];
  const toolSpan = trace.span({ id: 'lf-obs-0003', name: 'get_order_status', input: JSON.parse(call.function.arguments) });
  toolSpan.event({ id: 'lf-obs-0004', name: 'cache-miss', level: 'WARNING', statusMessage: 'order cache cold', input: { key: 'B-2002' } });
  toolSpan.end({ output: { order_id: 'B-2002', status: 'out_for_delivery' } });
  messages.push(first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"status":"out_for_delivery"}' });
  const second = await observeOpenAI(openai, { parent: trace, generationName: 'chat-with-tools' }).chat.completions.create({ model: 'gpt-4o-mini', messages, tools }, opts('lf-tool-answer'));
  trace.update({ output: second.choices[0].message.content });
  await langfuse.flushAsync();
}

// --- Traces 3 and 4: observeOpenAI creating its own traces (session 2): a 429, then a streamed answer --------------
{
  const cfg = { ...SESSIONS[1], traceName: 'quick-answer', tags: ['exchanges'] };
  const wrapped = observeOpenAI(openai, { ...cfg, traceId: 'lf-trace-0003' });
  try {
    await wrapped.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Can I exchange a gift?' }] }, opts('lf-429'));
  } catch (err) {
    console.log(`(expected) ${err.status} ${err.message}`);
  }
  const streamed = observeOpenAI(openai, { ...cfg, traceId: 'lf-trace-0004' });
  const stream = await streamed.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Can I exchange a gift?' }], stream: true, stream_options: { include_usage: true } }, opts('lf-stream'));
  for await (const _ of stream) void _;
  await streamed.flushAsync();
  await streamed.shutdownAsync();
}
await langfuse.shutdownAsync();
await provider.close();
await receiver.close();
if (receiver.errors.length) throw new Error(receiver.errors.join('\n'));

// --- The export: merge by id like the server's upsert ---------------------------------------------------------------
const events = receiver.requests.flatMap((r) => r.batch);
const traces = new Map();
const observations = new Map();
const scores = [];
const OBS_TYPE = { span: 'SPAN', generation: 'GENERATION', event: 'EVENT' };
const defined = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
for (const e of events) {
  const [entity, action] = e.type.split('-');
  if (entity === 'trace') traces.set(e.body.id, { ...traces.get(e.body.id), ...defined(e.body) });
  else if (entity === 'score') scores.push(e.body);
  else if (OBS_TYPE[entity] && (action === 'create' || action === 'update')) {
    observations.set(e.body.id, { type: OBS_TYPE[entity], ...observations.get(e.body.id), ...defined(e.body) });
  }
}
const PROJECT = 'cm0fixtureproject0001';
const seconds = (a, b) => (a && b ? (Date.parse(b) - Date.parse(a)) / 1000 : null);
const observationRows = [...observations.values()].map((o) => ({
  id: o.id, traceId: o.traceId, type: o.type, name: o.name ?? null,
  startTime: o.startTime, endTime: o.endTime ?? null, completionStartTime: o.completionStartTime ?? null,
  model: o.model ?? null, modelParameters: o.modelParameters ?? null, input: o.input ?? null, output: o.output ?? null,
  metadata: o.metadata ?? null, version: o.version ?? null,
  usage: o.type === 'GENERATION' ? { input: o.usage?.input ?? 0, output: o.usage?.output ?? 0, total: o.usage?.total ?? 0, unit: 'TOKENS' } : null,
  usageDetails: o.usageDetails ?? {}, costDetails: o.costDetails ?? {},
  level: o.level ?? 'DEFAULT', statusMessage: o.statusMessage ?? null, parentObservationId: o.parentObservationId ?? null,
  promptId: null, promptName: o.promptName ?? null, promptVersion: o.promptVersion ?? null, modelId: null,
  inputPrice: null, outputPrice: null, totalPrice: null,
  calculatedInputCost: o.costDetails?.input ?? null, calculatedOutputCost: o.costDetails?.output ?? null, calculatedTotalCost: o.costDetails?.total ?? null,
  latency: seconds(o.startTime, o.endTime), timeToFirstToken: seconds(o.startTime, o.completionStartTime),
  environment: o.environment ?? 'default', projectId: PROJECT,
}));
const traceRows = [...traces.values()].map((t) => {
  const obs = observationRows.filter((o) => o.traceId === t.id);
  const ends = obs.map((o) => o.endTime ?? o.startTime).filter(Boolean).sort();
  return {
    id: t.id, projectId: PROJECT, timestamp: t.timestamp, name: t.name ?? null, input: t.input ?? null, output: t.output ?? null,
    sessionId: t.sessionId ?? null, release: t.release ?? null, version: t.version ?? null, userId: t.userId ?? null,
    metadata: t.metadata ?? null, tags: t.tags ?? [], public: t.public ?? false, bookmarked: false, environment: t.environment ?? 'default',
    htmlPath: `/project/${PROJECT}/traces/${t.id}`,
    latency: ends.length ? seconds(t.timestamp, ends[ends.length - 1]) : 0,
    totalCost: obs.reduce((n, o) => n + (o.calculatedTotalCost ?? 0), 0),
    observations: obs.map((o) => o.id),
    scores: scores.filter((s) => s.traceId === t.id).map((s) => s.id),
  };
});

// CSV as the UI's export writes it: one column per field, objects and arrays as JSON text, empty for null.
function toCsv(rows) {
  const cols = Object.keys(rows[0]);
  const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}
fs.writeFileSync(path.join(EXPORT_DIR, 'observations.json'), JSON.stringify(observationRows, null, 2) + '\n');
fs.writeFileSync(path.join(EXPORT_DIR, 'observations.csv'), toCsv(observationRows));
fs.writeFileSync(path.join(EXPORT_DIR, 'traces.jsonl'), traceRows.map((t) => JSON.stringify(t)).join('\n') + '\n');
fs.writeFileSync(path.join(EXPORT_DIR, 'traces.csv'), toCsv(traceRows));

// --- expected.json ---------------------------------------------------------------------------------------------
const gens = observationRows.filter((o) => o.type === 'GENERATION');
const count = (xs, f) => xs.reduce((n, x) => n + (f(x) ?? 0), 0);
const eventTypes = {};
for (const e of events) eventTypes[e.type] = (eventTypes[e.type] ?? 0) + 1;
const keys = (e) => `${e.type.split('-')[0]}:${e.body.id}`;
const perBatch = receiver.requests.map((r) => new Set(r.batch.map(keys)));
const crossBatch = new Set();
perBatch.forEach((s, i) => s.forEach((k) => perBatch.slice(0, i).some((p) => p.has(k)) && crossBatch.add(k)));
const expected = {
  generator: 'tools/langfuse-fixtures/generate.mjs',
  versions: VERSIONS,
  files: { ingestion: 'ingestion.jsonl', observationsJson: 'export/observations.json', observationsCsv: 'export/observations.csv', traces: 'export/traces.jsonl', tracesCsv: 'export/traces.csv' },
  ingestion: {
    requests: receiver.requests.length,
    events: events.length,
    eventTypes,
    // Entities (trace or observation id) that appear in more than one request: merged by the store, not the mapper.
    entitiesAcrossBatches: [...crossBatch].sort(),
  },
  traces: traceRows.length,
  observations: { total: observationRows.length, byType: Object.fromEntries(['SPAN', 'GENERATION', 'EVENT'].map((t) => [t, observationRows.filter((o) => o.type === t).length])) },
  scores: scores.length,
  calls: { attempted: provider.ledger.length, failed: provider.ledger.filter((e) => e.status !== 200).length, generations: gens.length, errorGenerations: gens.filter((g) => g.level === 'ERROR').length },
  totals: {
    inputTokens: count(gens, (g) => g.usageDetails.input ?? g.usage.input),
    outputTokens: count(gens, (g) => g.usageDetails.output ?? g.usage.output),
    cachedTokens: count(gens, (g) => g.usageDetails.input_cached_tokens),
    loggedCostUsd: Math.round(count(gens, (g) => g.costDetails.total) * 1e10) / 1e10,
  },
  levels: Object.fromEntries(['DEFAULT', 'WARNING', 'ERROR'].map((l) => [l, observationRows.filter((o) => o.level === l).length])),
  sessions: { count: SESSIONS.length, ids: SESSIONS.map((s) => s.sessionId) },
  users: { count: SESSIONS.length, ids: SESSIONS.map((s) => s.userId) },
  models: [...new Set(gens.map((g) => g.model))].sort(),
  perCall: provider.ledger.map((e) => ({ case: e.case, requestModel: e.requestModel, responseModel: e.responseModel ?? null, stream: e.stream, status: e.status, promptTokens: e.usage?.promptTokens ?? null, completionTokens: e.usage?.completionTokens ?? null })),
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${receiver.requests.length} ingestion requests (${events.length} events), ${traceRows.length} traces, ${observationRows.length} observations`);

#!/usr/bin/env node
// Regenerates the OTLP JSON fixtures in test/fixtures/otel/ with the real
// `openai` SDK instrumented by the official @opentelemetry/instrumentation-openai,
// exporting through the real OTLP/HTTP (JSON) exporters to a local receiver.
//
//   npm ci --prefix tools/otel-fixtures && node tools/otel-fixtures/generate.mjs
//
// No network beyond 127.0.0.1: the OpenAI client is pointed at
// https://api.openai.com/v1 (so the spans carry the server.address/port a real
// app would), but its `fetch` rewrites every request to the fake provider on
// 127.0.0.1 and refuses anything else.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.resolve(HERE, '../..');
const OUT_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'otel');
const require = createRequire(import.meta.url);

// --- 0. A clean, deterministic environment ---------------------------------
for (const k of Object.keys(process.env)) {
  if (k.startsWith('OTEL_') || k.startsWith('OPENAI_')) delete process.env[k];
}
process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = 'true';

const api = await import('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
const { defaultResource, resourceFromAttributes } = await import('@opentelemetry/resources');
const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
const { LoggerProvider, BatchLogRecordProcessor } = await import('@opentelemetry/sdk-logs');
const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
const { OTLPLogExporter } = await import('@opentelemetry/exporter-logs-otlp-http');
const { registerInstrumentations } = await import('@opentelemetry/instrumentation');
const { OpenAIInstrumentation } = await import('@opentelemetry/instrumentation-openai');
const { startFakeProvider } = await import('./fake-provider.mjs');
const { startOtlpReceiver } = await import('./otlp-receiver.mjs');
const { CONVERSATIONS, makeBackend, runScenario } = await import('./scenario.mjs');

api.diag.setLogger(new api.DiagConsoleLogger(), api.DiagLogLevel.WARN);
api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function pkgVersion(name) {
  // Read node_modules/<name>/package.json directly: not every package exports ./package.json.
  const p = path.join(HERE, 'node_modules', ...name.split('/'), 'package.json');
  return JSON.parse(fs.readFileSync(p, 'utf8')).version;
}
const VERSIONS = Object.fromEntries(
  [
    'openai',
    '@opentelemetry/instrumentation-openai',
    '@opentelemetry/instrumentation',
    '@opentelemetry/api',
    '@opentelemetry/api-logs',
    '@opentelemetry/sdk-trace-node',
    '@opentelemetry/sdk-logs',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/exporter-logs-otlp-http',
    '@opentelemetry/otlp-transformer',
    '@opentelemetry/resources',
    '@opentelemetry/context-async-hooks',
  ].map((n) => [n, pkgVersion(n)]),
);

// Does this instrumentation version know OTEL_SEMCONV_STABILITY_OPT_IN
// (gen_ai_latest_experimental)? 0.21.0 does not; if a future version does,
// say so loudly so the generator gets a "latest" run.
function instrumentationSupportsSemconvOptIn() {
  const dir = path.join(HERE, 'node_modules', '@opentelemetry', 'instrumentation-openai');
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (/\.(c|m)?js$/.test(e.name) && /OTEL_SEMCONV_STABILITY_OPT_IN|gen_ai_latest_experimental/.test(fs.readFileSync(p, 'utf8'))) return true;
    }
  }
  return false;
}
const semconvOptIn = instrumentationSupportsSemconvOptIn();
if (semconvOptIn) {
  console.warn(
    'NOTE: this @opentelemetry/instrumentation-openai mentions OTEL_SEMCONV_STABILITY_OPT_IN; ' +
      'extend generate.mjs with a gen_ai_latest_experimental run (traces.latest.otlp.jsonl / logs.latest.otlp.jsonl).',
  );
}

// --- 1./2. Fake provider and OTLP receiver ---------------------------------
fs.mkdirSync(OUT_DIR, { recursive: true });
const provider = await startFakeProvider();
const receiver = await startOtlpReceiver();

// --- 3. Instrumentation, then the openai module ------------------------------
const instrumentation = new OpenAIInstrumentation({ captureMessageContent: true });
registerInstrumentations({ instrumentations: [instrumentation] });
const { OpenAI } = require('openai'); // must be loaded after the instrumentation hooks require()
if (!OpenAI.Chat.Completions.prototype.create.__wrapped) {
  throw new Error('instrumentation-openai did not patch openai (Chat.Completions.create is not wrapped)');
}

const REAL_ORIGIN = 'https://api.openai.com';
function loopbackFetch(origin) {
  return (input, init) => {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (u.origin !== REAL_ORIGIN) throw new Error(`refusing to fetch ${u.href}`);
    return fetch(`${origin}${u.pathname}${u.search}`, init);
  };
}
const client = new OpenAI({
  apiKey: 'sk-fixture-not-a-real-key',
  baseURL: `${REAL_ORIGIN}/v1`,
  maxRetries: 0, // exactly one attempt per call: the 429 and the 500 surface at once
  timeout: 10_000,
  fetch: loopbackFetch(provider.origin),
});

const RUNS = [
  {
    key: 'default',
    api: 'chat.completions',
    traces: 'traces.otlp.jsonl',
    logs: 'logs.otlp.jsonl',
    // The older (deprecated) deployment.environment key.
    resource: { 'service.name': 'acme-support-bot', 'service.version': '1.4.2', 'deployment.environment': 'production' },
  },
  {
    key: 'responses',
    api: 'responses',
    traces: 'traces.responses.otlp.jsonl',
    logs: 'logs.responses.otlp.jsonl',
    // The current key, so the parser sees both spellings across the fixtures.
    resource: { 'service.name': 'acme-support-bot', 'service.version': '1.4.2', 'deployment.environment.name': 'production' },
  },
];

const tick = () => new Promise((r) => setImmediate(r));
const results = {};

for (const run of RUNS) {
  const ledgerStart = provider.ledger.length;
  receiver.setTarget({ traces: path.join(OUT_DIR, run.traces), logs: path.join(OUT_DIR, run.logs) });

  const resource = defaultResource().merge(resourceFromAttributes(run.resource));
  const batch = { scheduledDelayMillis: 600_000, maxExportBatchSize: 10_000, maxQueueSize: 10_000, exportTimeoutMillis: 30_000 };
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${receiver.origin}/v1/traces` }), batch)],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    // sdk-logs 0.223 takes a single options object (exporter included).
    processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter({ url: `${receiver.origin}/v1/logs` }), ...batch })],
  });
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setLoggerProvider(loggerProvider);
  const tracer = tracerProvider.getTracer('acme-support-bot', '1.4.2');

  const calls = [];
  await runScenario({
    tracer,
    backend: makeBackend(run.api, client),
    onCall: (c) => calls.push(c),
    flush: async () => {
      // Let the instrumentation's promise handlers end the client spans first.
      for (let i = 0; i < 5; i++) await tick();
      await tracerProvider.forceFlush();
      await loggerProvider.forceFlush();
    },
  });
  // --- 5. Flush and shut down --------------------------------------------
  await tracerProvider.shutdown();
  await loggerProvider.shutdown();

  const served = provider.ledger.slice(ledgerStart);
  if (served.length !== calls.length) throw new Error(`${run.key}: client made ${calls.length} calls but provider saw ${served.length}`);
  results[run.key] = { run, calls, served };
}

await provider.close();
await receiver.close();
if (receiver.errors.length) {
  throw new Error(`OTLP receiver rejected requests:\n${receiver.errors.join('\n')}`);
}

// --- 6. expected.json --------------------------------------------------------
function callSummary(apiKind, c, s, i) {
  if (c.case !== s.case) throw new Error(`call ${i}: client case ${c.case} != provider case ${s.case}`);
  const ok = c.ok && s.status === 200;
  return {
    index: i,
    case: c.case,
    sessionId: c.sessionId,
    userId: c.userId,
    conversationId: c.conversationId,
    appSpan: 'chat turn',
    expectedSpanName: `chat ${c.requestModel}`,
    requestModel: c.requestModel,
    responseModel: ok ? s.responseModel : null,
    streamed: c.stream,
    ok,
    httpStatus: s.status,
    errorType: ok ? null : c.errorType,
    errorMessage: ok ? null : c.errorMessage,
    responseId: ok ? s.responseId : null,
    finishReason: ok ? s.finishReason : null,
    promptTokens: ok && s.usageReported ? s.usage.promptTokens : null,
    completionTokens: ok && s.usageReported ? s.usage.completionTokens : null,
    cachedTokens: ok && s.usageReported ? s.usage.cachedTokens : null,
    requestMessages: s.requestMessages,
    requestRoles: s.requestRoles,
    toolCall: ok ? s.toolCall : null,
    responseText: ok ? s.text : null,
    code: { filePath: c.code.file, lineNumber: c.code.line, functionName: c.code.function, keys: c.codeAttrs },
    // Log records the instrumentation emits for this call (all linked to its span):
    // chat.completions: one per request message + one gen_ai.choice per choice if it succeeded;
    // responses: one gen_ai.client.inference.operation.details for the input + one for the output if it succeeded.
    logRecords: apiKind === 'responses' ? (ok ? 2 : 1) : s.requestMessages + (ok ? 1 : 0),
  };
}

function fileStats(name) {
  const file = path.join(OUT_DIR, name);
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  let spans = 0;
  let logRecords = 0;
  const spanNames = {};
  const eventNames = {};
  for (const line of lines) {
    const data = JSON.parse(line);
    for (const rs of data.resourceSpans ?? [])
      for (const ss of rs.scopeSpans ?? [])
        for (const sp of ss.spans ?? []) {
          spans++;
          spanNames[sp.name] = (spanNames[sp.name] ?? 0) + 1;
        }
    for (const rl of data.resourceLogs ?? [])
      for (const sl of rl.scopeLogs ?? [])
        for (const lr of sl.logRecords ?? []) {
          logRecords++;
          const ev = lr.eventName || lr.attributes?.find((a) => a.key === 'event.name')?.value?.stringValue || '(none)';
          eventNames[ev] = (eventNames[ev] ?? 0) + 1;
        }
  }
  const st = receiver.stats.get(file);
  if (!st || st.lines !== lines.length || st.spans !== spans || st.logRecords !== logRecords) {
    throw new Error(`${name}: file contents do not match what the receiver wrote (${JSON.stringify(st)})`);
  }
  const out = { lines: lines.length, spans, logRecords, bytes: Buffer.byteLength(text) };
  if (spans) out.spanNames = sortObj(spanNames);
  if (logRecords) out.eventNames = sortObj(eventNames);
  return out;
}
const sortObj = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

function runSummary({ run, calls, served }) {
  const list = calls.map((c, i) => callSummary(run.api, c, served[i], i));
  const ok = list.filter((c) => c.ok);
  const sum = (k) => ok.reduce((n, c) => n + (c[k] ?? 0), 0);
  const logRecords = list.reduce((n, c) => n + c.logRecords, 0);
  const inFile = fileStats(run.logs).logRecords;
  if (logRecords !== inFile) throw new Error(`${run.logs}: expected ${logRecords} log records from the calls, file has ${inFile}`);
  return {
    api: run.api,
    files: { traces: run.traces, logs: run.logs },
    ...(run.api === 'responses'
      ? { note: 'The Responses API sends no finish reason: finishReason here is what instrumentation-openai derives (tool_call if the last output part is a tool call, else stop) and puts in gen_ai.response.finish_reasons. cachedTokens is input_tokens_details.cached_tokens, which the instrumentation does not record.' }
      : { note: 'cachedTokens is usage.prompt_tokens_details.cached_tokens as sent by the provider (null = the field was absent); instrumentation-openai 0.21.0 does not record it on spans.' }),
    resource: run.resource,
    calls: {
      attempted: list.length,
      succeeded: ok.length,
      failed: list.length - ok.length,
      failures: list.filter((c) => !c.ok).map((c) => ({ index: c.index, case: c.case, httpStatus: c.httpStatus, errorType: c.errorType })),
      streamed: list.filter((c) => c.streamed).length,
      byRequestModel: sortObj(list.reduce((m, c) => ((m[c.requestModel] = (m[c.requestModel] ?? 0) + 1), m), {})),
    },
    logRecords,
    totals: {
      inputTokens: sum('promptTokens'),
      outputTokens: sum('completionTokens'),
      cachedTokens: sum('cachedTokens'),
    },
    perCall: list,
    appSpans: {
      name: 'chat turn',
      count: CONVERSATIONS.reduce((n, c) => n + c.turns.length, 0),
      withError: new Set(list.filter((c) => !c.ok).map((c) => c.case.split('.')[0])).size,
    },
    toolSpans: { name: 'execute_tool get_order_status', count: list.filter((c) => c.ok && c.toolCall).length },
  };
}

const users = [...new Set(CONVERSATIONS.map((c) => c.userId))];
const expected = {
  $comment:
    'Written by tools/otel-fixtures/generate.mjs. What the scenario sent and the fake provider answered; tokens are as the provider reported them (null = not reported). Deterministic except timestamps and trace/span ids in the .jsonl files.',
  versions: VERSIONS,
  semconv: {
    latestExperimentalRun: false,
    reason: semconvOptIn
      ? 'instrumentation mentions OTEL_SEMCONV_STABILITY_OPT_IN but the generator has no latest run yet'
      : `@opentelemetry/instrumentation-openai ${VERSIONS['@opentelemetry/instrumentation-openai']} does not read OTEL_SEMCONV_STABILITY_OPT_IN: Chat Completions always use the default (event-per-message) GenAI conventions; the Responses API always uses gen_ai.client.inference.operation.details. The responses run covers the newer shape.`,
  },
  service: { name: 'acme-support-bot', version: '1.4.2', environment: 'production' },
  sessions: { count: CONVERSATIONS.length, ids: CONVERSATIONS.map((c) => c.sessionId) },
  users: { count: users.length, ids: users },
  conversations: CONVERSATIONS.map((c) => ({ sessionId: c.sessionId, userId: c.userId, conversationId: c.conversationId, turns: c.turns.length })),
  ...runSummary(results.default),
  runs: { responses: runSummary(results.responses) },
  fileStats: Object.fromEntries(RUNS.flatMap((r) => [r.traces, r.logs]).map((f) => [f, fileStats(f)])),
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');

// --- ATTRIBUTES.md: hand-written notes + an inventory computed from the files --
const { writeAttributesMd } = await import('./inventory.mjs');
const { PROSE, FIXTURE_FILES, MARKERS } = await import('./attributes-prose.mjs');
writeAttributesMd(PROSE, FIXTURE_FILES, MARKERS);

for (const [f, s] of Object.entries(expected.fileStats)) {
  console.log(`${f}: ${s.lines} lines, ${s.spans} spans, ${s.logRecords} log records, ${s.bytes} bytes`);
}
console.log(`calls: ${expected.calls.attempted} attempted, ${expected.calls.succeeded} ok, ${expected.calls.failed} failed; tokens in/out/cached ${expected.totals.inputTokens}/${expected.totals.outputTokens}/${expected.totals.cachedTokens}`);
process.exit(0);

#!/usr/bin/env node
// Writes test/fixtures/bedrock/: Amazon Bedrock model invocation logs as Bedrock delivers them to S3 (JSON Lines,
// gzip-compressed, one `ModelInvocationLog` per line), built from the published log fields (see README.md), with
// request/response bodies of the common model families: Converse (incl. tool use, ConverseStream), Anthropic
// Messages, Amazon Titan Text, Titan Embeddings, Meta Llama; a throttled call with errorCode.
//
//   node tools/bedrock-fixtures/generate.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '../../test/fixtures/bedrock');
const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const ARN_APP = `arn:aws:sts::${ACCOUNT}:assumed-role/support-bot-role/i-0abc123def4567890`;
const ARN_ANALYST = `arn:aws:sts::${ACCOUNT}:assumed-role/analyst/jdoe`;
const SYSTEM = 'You are the Acme billing assistant.';

let n = 0;
function log({ at, arn, operation, modelId, input, output, inputTokens, outputTokens, cacheRead, cacheWrite, errorCode, requestMetadata }) {
  n++;
  const rec = {
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: at,
    accountId: ACCOUNT,
    identity: { arn },
    region: REGION,
    requestId: `0f6a${String(n).padStart(4, '0')}-5d4c-4b3a-9f2e-${String(1000 + n).padStart(12, '0')}`,
    operation,
    modelId,
    ...(errorCode ? { errorCode } : {}),
    input: {
      inputContentType: 'application/json',
      inputBodyJson: input,
      ...(inputTokens !== undefined ? { inputTokenCount: inputTokens } : {}),
      ...(cacheRead !== undefined ? { cacheReadInputTokenCount: cacheRead } : {}),
      ...(cacheWrite !== undefined ? { cacheWriteInputTokenCount: cacheWrite } : {}),
    },
    ...(output ? { output: { outputContentType: 'application/json', outputBodyJson: output, ...(outputTokens !== undefined ? { outputTokenCount: outputTokens } : {}) } } : {}),
    ...(requestMetadata ? { requestMetadata } : {}),
  };
  return rec;
}

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0';
const records = [
  // Session bk-sess-0001 (Converse, requestMetadata carries the app's ids): a tool round trip.
  log({
    at: '2025-03-10T09:00:00Z', arn: ARN_APP, operation: 'Converse', modelId: HAIKU,
    requestMetadata: { sessionId: 'bk-sess-0001', userId: 'bk-user-01' },
    input: {
      system: [{ text: SYSTEM }],
      messages: [{ role: 'user', content: [{ text: 'Why was I charged twice for invoice INV-778?' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0.3, topP: 0.9 },
      toolConfig: { tools: [{ toolSpec: { name: 'lookup_invoice', inputSchema: { json: { type: 'object', properties: { invoice_id: { type: 'string' } } } } } }] },
    },
    output: {
      output: { message: { role: 'assistant', content: [{ text: 'Let me check that invoice.' }, { toolUse: { toolUseId: 'tooluse_bk_0001', name: 'lookup_invoice', input: { invoice_id: 'INV-778' } } }] } },
      stopReason: 'tool_use', usage: { inputTokens: 412, outputTokens: 58, totalTokens: 470 }, metrics: { latencyMs: 812 },
    },
    inputTokens: 412, outputTokens: 58,
  }),
  log({
    at: '2025-03-10T09:00:02Z', arn: ARN_APP, operation: 'Converse', modelId: HAIKU,
    requestMetadata: { sessionId: 'bk-sess-0001', userId: 'bk-user-01' },
    input: {
      system: [{ text: SYSTEM }],
      messages: [
        { role: 'user', content: [{ text: 'Why was I charged twice for invoice INV-778?' }] },
        { role: 'assistant', content: [{ text: 'Let me check that invoice.' }, { toolUse: { toolUseId: 'tooluse_bk_0001', name: 'lookup_invoice', input: { invoice_id: 'INV-778' } } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 'tooluse_bk_0001', content: [{ json: { invoice_id: 'INV-778', charges: 2, refunded: 1 } }], status: 'success' } }] },
      ],
      inferenceConfig: { maxTokens: 512, temperature: 0.3, topP: 0.9 },
    },
    output: {
      output: { message: { role: 'assistant', content: [{ text: 'The duplicate charge on INV-778 was refunded on March 8.' }] } },
      stopReason: 'end_turn', usage: { inputTokens: 520, outputTokens: 21, totalTokens: 541, cacheReadInputTokens: 384, cacheWriteInputTokens: 0 }, metrics: { latencyMs: 640 },
    },
    inputTokens: 520, outputTokens: 21, cacheRead: 384, cacheWrite: 0,
  }),
  // Session bk-sess-0002: ConverseStream (the logged output is the list of stream events), then a throttled call.
  log({
    at: '2025-03-10T09:05:00Z', arn: ARN_APP, operation: 'ConverseStream', modelId: HAIKU,
    requestMetadata: { sessionId: 'bk-sess-0002', userId: 'bk-user-02' },
    input: { messages: [{ role: 'user', content: [{ text: 'How do I update my card?' }] }], inferenceConfig: { maxTokens: 256 } },
    output: [
      { messageStart: { role: 'assistant' } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'Open Billing > Payment methods ' } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'and choose Replace card.' } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      { messageStop: { stopReason: 'end_turn' } },
      { metadata: { usage: { inputTokens: 18, outputTokens: 12, totalTokens: 30 }, metrics: { latencyMs: 455 } } },
    ],
    inputTokens: 18, outputTokens: 12,
  }),
  log({
    at: '2025-03-10T09:05:30Z', arn: ARN_APP, operation: 'Converse', modelId: HAIKU, errorCode: 'ThrottlingException',
    requestMetadata: { sessionId: 'bk-sess-0002', userId: 'bk-user-02' },
    input: { messages: [{ role: 'user', content: [{ text: 'And can I pay by bank transfer?' }] }] },
  }),
  // No application ids: direct InvokeModel calls of other families, attributed by the caller's ARN only.
  log({
    at: '2025-03-10T10:00:00Z', arn: ARN_ANALYST, operation: 'InvokeModel', modelId: SONNET,
    input: { anthropic_version: 'bedrock-2023-05-31', max_tokens: 300, temperature: 0, system: SYSTEM, messages: [{ role: 'user', content: 'Summarize the refund policy in one sentence.' }] },
    output: {
      id: 'msg_bdrk_01FixtureA', type: 'message', role: 'assistant', model: 'claude-3-5-sonnet-20241022',
      content: [{ type: 'text', text: 'Duplicate or erroneous charges are refunded within 5 business days.' }],
      stop_reason: 'end_turn', stop_sequence: null,
      usage: { input_tokens: 40, cache_creation_input_tokens: 1024, cache_read_input_tokens: 0, output_tokens: 17 },
    },
    inputTokens: 40, outputTokens: 17, cacheRead: 0, cacheWrite: 1024,
  }),
  log({
    at: '2025-03-10T10:01:00Z', arn: ARN_ANALYST, operation: 'InvokeModel', modelId: 'amazon.titan-text-express-v1',
    input: { inputText: 'List three reasons a card payment can fail.', textGenerationConfig: { maxTokenCount: 200, temperature: 0.5, topP: 0.9, stopSequences: [] } },
    output: { inputTextTokenCount: 11, results: [{ tokenCount: 24, outputText: 'Insufficient funds, an expired card, or a bank fraud block.', completionReason: 'FINISH' }] },
    inputTokens: 11, outputTokens: 24,
  }),
  log({
    at: '2025-03-10T10:02:00Z', arn: ARN_ANALYST, operation: 'InvokeModel', modelId: 'meta.llama3-8b-instruct-v1:0',
    input: { prompt: '<|begin_of_text|><|start_header_id|>user<|end_header_id|>\nTranslate "invoice" to French.<|eot_id|><|start_header_id|>assistant<|end_header_id|>', max_gen_len: 64, temperature: 0.2, top_p: 0.9 },
    output: { generation: 'Facture.', prompt_token_count: 29, generation_token_count: 4, stop_reason: 'stop' },
    inputTokens: 29, outputTokens: 4,
  }),
  log({
    at: '2025-03-10T10:03:00Z', arn: ARN_ANALYST, operation: 'InvokeModel', modelId: 'amazon.titan-embed-text-v2:0',
    input: { inputText: 'duplicate charge refund', dimensions: 256, normalize: true },
    // A real v2 embedding has 256-1024 numbers; 16 keep the fixture small while exercising "vectors are not copied".
    output: { embedding: Array.from({ length: 16 }, (_, i) => Math.round(Math.cos(i + 1) * 1e6) / 1e6), inputTextTokenCount: 5 },
    inputTokens: 5, outputTokens: 0,
  }),
];

fs.mkdirSync(OUT_DIR, { recursive: true });
// S3 delivers objects under AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/<name>.json.gz;
// the fixture keeps a short name with the same extension.
const jsonl = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
fs.writeFileSync(path.join(OUT_DIR, 'model-invocations.json.gz'), zlib.gzipSync(Buffer.from(jsonl), { level: 9 }));

const ok = records.filter((r) => !r.errorCode);
const sessions = [...new Set(records.map((r) => r.requestMetadata?.sessionId).filter(Boolean))];
const expected = {
  generator: 'tools/bedrock-fixtures/generate.mjs',
  files: { logs: 'model-invocations.json.gz' },
  records: records.length,
  calls: { total: records.length, llm: records.filter((r) => !r.modelId.includes('embed')).length, embedding: records.filter((r) => r.modelId.includes('embed')).length, errors: records.length - ok.length },
  errorCodes: records.filter((r) => r.errorCode).map((r) => r.errorCode),
  totals: {
    inputTokens: records.reduce((s, r) => s + (r.input.inputTokenCount ?? 0), 0),
    outputTokens: records.reduce((s, r) => s + (r.output?.outputTokenCount ?? 0), 0),
    cacheReadTokens: records.reduce((s, r) => s + (r.input.cacheReadInputTokenCount ?? 0), 0),
    cacheWriteTokens: records.reduce((s, r) => s + (r.input.cacheWriteInputTokenCount ?? 0), 0),
  },
  // Users: the application's userId from requestMetadata where present, else the caller's identity ARN.
  users: [...new Set(records.map((r) => r.requestMetadata?.userId ?? r.identity.arn))].sort(),
  sessions: { count: sessions.length, ids: sessions },
  models: [...new Set(records.map((r) => r.modelId))].sort(),
  operations: [...new Set(records.map((r) => r.operation))].sort(),
  perRecord: records.map((r) => ({
    requestId: r.requestId, operation: r.operation, modelId: r.modelId, errorCode: r.errorCode ?? null,
    inputTokens: r.input.inputTokenCount ?? null, outputTokens: r.output?.outputTokenCount ?? null,
    messagesIn: Array.isArray(r.input.inputBodyJson.messages) ? r.input.inputBodyJson.messages.length : r.input.inputBodyJson.inputText || r.input.inputBodyJson.prompt ? 1 : 0,
  })),
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${records.length} invocation logs (${jsonl.length} bytes before gzip) and expected.json`);

#!/usr/bin/env node
// Writes test/fixtures/openai-batch/: an OpenAI Batch API input file (BatchRequestInput lines: custom_id, method, url,
// body) and the output and error files of a run of it (BatchRequestOutput lines: id, custom_id,
// response {status_code, request_id, body}, error). The "batch runner" here POSTs each input body to the local fake
// provider of tools/openinference-fixtures (127.0.0.1), so response bodies are real Chat Completions / Embeddings
// shapes; one request is answered 400 (goes to the error file with its response), one expires (error file,
// `response: null`, `error: {code, message}`). Field lists: see README.md.
//
//   node tools/openai-batch-fixtures/generate.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.resolve(HERE, '../../test/fixtures/openai-batch');
const { startFakeProvider } = await import('../openinference-fixtures/fake-provider.mjs');

const CASES = {
  'b-1': { model: 'gpt-4o-mini-2024-07-18', text: 'Positive: the customer praises the fast delivery.', usage: { prompt: 52, completion: 11, cached: 0 } },
  'b-2': { model: 'gpt-4o-mini-2024-07-18', text: 'Negative: the item arrived damaged.', usage: { prompt: 49, completion: 8, cached: 0 } },
  'b-3': { model: 'gpt-4o-mini-2024-07-18', toolCall: { id: 'call_batch_0003', name: 'tag_ticket', arguments: '{"tags":["refund","damaged"]}' }, usage: { prompt: 88, completion: 16, cached: 0 } },
  'b-4': { model: 'text-embedding-3-small', usage: { prompt: 7 }, dims: 4 },
  'b-5': { error: { status: 400, body: { error: { message: "The model 'gpt-4o-mini-typo' does not exist or you do not have access to it.", type: 'invalid_request_error', param: 'model', code: 'model_not_found' } } } },
  'b-6': { model: 'gpt-4o-2024-08-06', text: 'Neutral.', usage: { prompt: 45, completion: 2, cached: 0 } }, // never run: the batch expired first
};
const SYSTEM = 'Classify the sentiment of the review and explain in one sentence.';
const chat = (review, extra = {}) => ({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: SYSTEM }, { role: 'user', content: review }], max_tokens: 64, temperature: 0, ...extra });
const INPUT = [
  { custom_id: 'review-0001', case: 'b-1', url: '/v1/chat/completions', body: chat('Arrived a day early, great packaging!', { user: 'batch-user-01', metadata: { session_id: 'batch-sess-0001' }, store: true }) },
  { custom_id: 'review-0002', case: 'b-2', url: '/v1/chat/completions', body: chat('The mug was broken when I opened the box.', { user: 'batch-user-01', metadata: { session_id: 'batch-sess-0001' }, store: true }) },
  {
    custom_id: 'review-0003', case: 'b-3', url: '/v1/chat/completions',
    body: chat('Broken again. I want my money back.', { user: 'batch-user-02', tools: [{ type: 'function', function: { name: 'tag_ticket', parameters: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } } } }] }),
  },
  { custom_id: 'review-0004', case: 'b-4', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: 'great packaging', encoding_format: 'float' } },
  { custom_id: 'review-0005', case: 'b-5', url: '/v1/chat/completions', body: { ...chat('Okay I guess.'), model: 'gpt-4o-mini-typo' } },
  { custom_id: 'review-0006', case: 'b-6', url: '/v1/chat/completions', body: { ...chat('It is a mug.'), model: 'gpt-4o' }, expires: true },
];

fs.mkdirSync(OUT_DIR, { recursive: true });
const provider = await startFakeProvider(CASES);
const outputs = [];
const errors = [];
let n = 0;
for (const line of INPUT) {
  n++;
  const id = `batch_req_fixture${String(n).padStart(4, '0')}`;
  if (line.expires) {
    errors.push({ id, custom_id: line.custom_id, response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } });
    continue;
  }
  const res = await fetch(`${provider.origin}${line.url}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-fixture-case': line.case }, body: JSON.stringify(line.body) });
  const out = { id, custom_id: line.custom_id, response: { status_code: res.status, request_id: res.headers.get('x-request-id'), body: await res.json() }, error: null };
  (res.status === 200 ? outputs : errors).push(out);
}
await provider.close();

const jsonl = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
fs.writeFileSync(path.join(OUT_DIR, 'batch_input.jsonl'), jsonl(INPUT.map(({ custom_id, url, body }) => ({ custom_id, method: 'POST', url, body }))));
// The service writes output lines in no particular order: the fixture reverses them so joining cannot rely on order.
fs.writeFileSync(path.join(OUT_DIR, 'batch_output.jsonl'), jsonl(outputs.reverse()));
fs.writeFileSync(path.join(OUT_DIR, 'batch_errors.jsonl'), jsonl(errors));

const ok = provider.ledger.filter((e) => e.status === 200);
const expected = {
  generator: 'tools/openai-batch-fixtures/generate.mjs',
  files: { input: 'batch_input.jsonl', output: 'batch_output.jsonl', errors: 'batch_errors.jsonl' },
  requests: INPUT.length,
  lines: { input: INPUT.length, output: outputs.length, errors: errors.length },
  byUrl: INPUT.reduce((m, l) => ({ ...m, [l.url]: (m[l.url] ?? 0) + 1 }), {}),
  calls: { llm: INPUT.filter((l) => l.url !== '/v1/embeddings').length, embedding: INPUT.filter((l) => l.url === '/v1/embeddings').length, succeeded: outputs.length, failed: errors.length },
  errorCodes: [...errors.map((e) => e.error?.code ?? e.response.body.error.code)],
  totals: { inputTokens: ok.reduce((s, e) => s + e.usage.promptTokens, 0), outputTokens: ok.reduce((s, e) => s + e.usage.completionTokens, 0) },
  users: { count: new Set(INPUT.map((l) => l.body.user).filter(Boolean)).size, ids: [...new Set(INPUT.map((l) => l.body.user).filter(Boolean))] },
  sessions: { count: new Set(INPUT.map((l) => l.body.metadata?.session_id).filter(Boolean)).size },
  requestModels: [...new Set(INPUT.map((l) => l.body.model))].sort(),
  perRequest: INPUT.map((l) => {
    const out = [...outputs, ...errors].find((o) => o.custom_id === l.custom_id);
    const usage = out.response?.body?.usage;
    return {
      custom_id: l.custom_id, url: l.url, requestModel: l.body.model, responseModel: out.response?.body?.model ?? null,
      statusCode: out.response?.status_code ?? null, error: out.error?.code ?? out.response?.body?.error?.code ?? null,
      promptTokens: usage?.prompt_tokens ?? null, completionTokens: usage?.completion_tokens ?? null,
    };
  }),
};
fs.writeFileSync(path.join(OUT_DIR, 'expected.json'), JSON.stringify(expected, null, 2) + '\n');
console.log(`wrote ${INPUT.length} requests, ${outputs.length} outputs, ${errors.length} errors`);

// A deterministic OpenAI-compatible provider on 127.0.0.1 for fixture generation, modelled on
// tools/otel-fixtures/fake-provider.mjs (same response shapes) but with the cases passed in by the caller and
// two more routes: POST /v1/embeddings (short vectors, so fixtures stay small) and reasoning-token usage.
//
// Which answer a request gets is chosen by the `x-fixture-case` request header. Every request is appended to
// `ledger`, so the generator writes expected.json from what was really sent and answered.
//
// A case: { model, text?, chunks?, toolCall?: {id, name, arguments}, usage: {prompt, completion, cached?, reasoning?},
//           error?: {status, body}, vectors?: number (embeddings: how many inputs), dims?: number }

import http from 'node:http';

const CREATED = 1735689600; // 2025-01-01T00:00:00Z: bodies are identical from run to run

function chatUsage(u) {
  const usage = { prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion };
  if (u.cached !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: u.cached, audio_tokens: 0 };
    usage.completion_tokens_details = { reasoning_tokens: u.reasoning ?? 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 };
  }
  return usage;
}

const text = (c) => c.text ?? (c.chunks ? c.chunks.join('') : null);

function chatCompletion(c, id) {
  const message = c.toolCall
    ? { role: 'assistant', content: null, tool_calls: [{ id: c.toolCall.id, type: 'function', function: { name: c.toolCall.name, arguments: c.toolCall.arguments } }], refusal: null, annotations: [] }
    : { role: 'assistant', content: text(c), refusal: null, annotations: [] };
  return {
    id, object: 'chat.completion', created: CREATED, model: c.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: c.toolCall ? 'tool_calls' : 'stop' }],
    usage: chatUsage(c.usage), service_tier: 'default', system_fingerprint: 'fp_fixture01',
  };
}

function chatChunks(c, id, includeUsage) {
  const base = { id, object: 'chat.completion.chunk', created: CREATED, model: c.model, service_tier: 'default', system_fingerprint: 'fp_fixture01' };
  const extra = includeUsage ? { usage: null } : {};
  const out = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...extra }];
  for (const part of c.chunks) out.push({ ...base, choices: [{ index: 0, delta: { content: part }, logprobs: null, finish_reason: null }], ...extra });
  out.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...extra });
  if (includeUsage) out.push({ ...base, choices: [], usage: chatUsage(c.usage) });
  return out;
}

function responseObject(c, id, n, req) {
  return {
    id, object: 'response', created_at: CREATED, status: 'completed', error: null, incomplete_details: null,
    instructions: req.instructions ?? null, model: c.model,
    output: [{ type: 'message', id: `msg_fixture_${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: text(c), annotations: [], logprobs: [] }] }],
    parallel_tool_calls: true, temperature: req.temperature ?? 1, top_p: req.top_p ?? 1, tool_choice: 'auto', tools: req.tools ?? [],
    usage: {
      input_tokens: c.usage.prompt, input_tokens_details: { cached_tokens: c.usage.cached ?? 0 },
      output_tokens: c.usage.completion, output_tokens_details: { reasoning_tokens: c.usage.reasoning ?? 0 },
      total_tokens: c.usage.prompt + c.usage.completion,
    },
    service_tier: 'default', store: true,
  };
}

// Deterministic small vectors: value i of input k.
const vector = (k, dims) => Array.from({ length: dims }, (_, i) => Math.round(Math.sin((k + 1) * (i + 1)) * 1e4) / 1e4);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const ROUTES = { '/v1/chat/completions': 'chat', '/v1/responses': 'responses', '/v1/embeddings': 'embeddings' };

/**
 * @param {Record<string, object>} cases
 * @returns {Promise<{ origin: string, ledger: object[], close: () => Promise<void> }>}
 */
export async function startFakeProvider(cases) {
  const ledger = [];
  const counters = { chat: 0, responses: 0, embeddings: 0 };
  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const api = req.method === 'POST' ? ROUTES[req.url] : undefined;
      if (!api) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
        return;
      }
      const reqBody = JSON.parse(body);
      const caseId = req.headers['x-fixture-case'];
      const c = cases[caseId];
      if (!c) throw new Error(`unknown x-fixture-case ${JSON.stringify(caseId)}`);
      const n = String(++counters[api]).padStart(4, '0');
      const requestId = `req_fixture_${api}_${n}`;
      const stream = reqBody.stream === true;
      const entry = { api, case: caseId, requestModel: reqBody.model, stream, requestId };
      ledger.push(entry);
      if (c.error) {
        Object.assign(entry, { status: c.error.status, errorCode: c.error.body.error.code, errorMessage: c.error.body.error.message });
        res.writeHead(c.error.status, { 'content-type': 'application/json', 'x-request-id': requestId });
        res.end(JSON.stringify(c.error.body));
        return;
      }
      if (api === 'embeddings') {
        const inputs = Array.isArray(reqBody.input) ? reqBody.input : [reqBody.input];
        const dims = c.dims ?? 8;
        Object.assign(entry, { status: 200, responseModel: c.model, usage: { promptTokens: c.usage.prompt, completionTokens: 0 }, vectors: inputs.length, dims, encoding: reqBody.encoding_format ?? 'float' });
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
        res.end(JSON.stringify({
          object: 'list', model: c.model,
          // The SDK asks for base64 (little-endian float32) unless the caller chose 'float'.
          data: inputs.map((_, k) => ({
            object: 'embedding', index: k,
            embedding: reqBody.encoding_format === 'base64' ? Buffer.from(new Float32Array(vector(k, dims)).buffer).toString('base64') : vector(k, dims),
          })),
          usage: { prompt_tokens: c.usage.prompt, total_tokens: c.usage.prompt },
        }));
        return;
      }
      const id = api === 'chat' ? `chatcmpl-fixture-${n}` : `resp_fixture_${n}`;
      const includeUsage = api === 'chat' ? reqBody.stream_options?.include_usage === true : true;
      Object.assign(entry, {
        status: 200, responseId: id, responseModel: c.model,
        finishReason: c.toolCall ? 'tool_calls' : 'stop',
        usage: { promptTokens: c.usage.prompt, completionTokens: c.usage.completion, cachedTokens: c.usage.cached ?? null, reasoningTokens: c.usage.reasoning ?? null },
        usageReported: !stream || includeUsage,
        text: text(c), toolCall: c.toolCall ?? null,
      });
      if (!stream) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId });
        res.end(JSON.stringify(api === 'chat' ? chatCompletion(c, id) : responseObject(c, id, n, reqBody)));
        return;
      }
      if (api !== 'chat' || !c.chunks) throw new Error(`case ${caseId}: streaming is only faked for chat completions with chunks`);
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId });
      for (const chunk of chatChunks(c, id, includeUsage)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      res.write('data: [DONE]\n\n');
      res.end();
    } catch (err) {
      console.error('[fake-provider]', err);
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err?.message ?? err), type: 'invalid_request_error' } }));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    ledger,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const REAL_ORIGIN = 'https://api.openai.com';

/** A fetch for the openai client: requests to api.openai.com go to the fake provider; anything else is refused. */
export function loopbackFetch(origin) {
  return (input, init) => {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (u.origin !== REAL_ORIGIN) throw new Error(`refusing to fetch ${u.href}`);
    return fetch(`${origin}${u.pathname}${u.search}`, init);
  };
}

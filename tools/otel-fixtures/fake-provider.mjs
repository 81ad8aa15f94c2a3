// A tiny, deterministic, OpenAI-compatible provider for fixture generation.
//
// It answers POST /v1/chat/completions and POST /v1/responses on 127.0.0.1.
// Which answer a request gets is chosen by the `x-fixture-case` request header
// (sent by the scenario as a per-request header; the instrumentation does not
// record request headers, so it never shows up in the telemetry). Content,
// ids and token counts come from the CASES table below, so every run answers
// the same way. Every request is appended to `ledger` so generate.mjs can
// write expected.json from what was really sent and answered.

import http from 'node:http';

// Fixed "created" time for response bodies (2025-01-01T00:00:00Z), so bodies
// are identical from run to run. Telemetry timestamps are real wall-clock time.
const CREATED = 1735689600;

/**
 * One entry per chat-completion / response call the scenario makes.
 * usage.cached === undefined means "omit prompt_tokens_details entirely".
 */
export const CASES = {
  // Conversation 1, turn 1: tool-call round trip (2 calls).
  'c1-t1.1': {
    model: 'gpt-4o-mini-2024-07-18',
    toolCall: { id: 'call_fixture_0001', name: 'get_order_status', arguments: '{"order_id":"A-1001"}' },
    usage: { prompt: 142, completion: 18, cached: 0 },
  },
  'c1-t1.2': {
    model: 'gpt-4o-mini-2024-07-18',
    text: 'Your order A-1001 shipped on 2025-03-10 and should arrive by 2025-03-14.',
    usage: { prompt: 186, completion: 24, cached: 128 },
  },
  // Conversation 1, turn 2: plain answer (gpt-4o-mini), cached tokens.
  'c1-t2.1': {
    model: 'gpt-4o-mini-2024-07-18',
    text: "I can't send emails, but the tracking link is in your Acme account under Orders > A-1001.",
    usage: { prompt: 221, completion: 27, cached: 192 },
  },
  // Conversation 2, turn 1: plain answer on a second model, no prompt_tokens_details.
  'c2-t1.1': {
    model: 'gpt-4o-2024-08-06',
    text: 'Damaged items can be returned within 30 days for a full refund. Start a return from Orders in your account and attach a photo of the damage.',
    usage: { prompt: 58, completion: 31 },
  },
  // Conversation 2, turn 2: the injection attempt gets a refusal-style answer.
  'c2-t2.1': {
    model: 'gpt-4o-2024-08-06',
    text: "Sorry, I can't share my instructions. I'm happy to help with questions about your Acme orders.",
    usage: { prompt: 112, completion: 22, cached: 0 },
  },
  // Conversation 2, turn 3: rate limited.
  'c2-t3.1': {
    error: {
      status: 429,
      headers: { 'retry-after': '1', 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '0' },
      body: {
        error: {
          message: 'Rate limit reached for gpt-4o in organization org-fixture on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 120ms.',
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
    },
  },
  // Conversation 3, turn 1: streamed answer with a final usage chunk.
  'c3-t1.1': {
    model: 'gpt-4o-mini-2024-07-18',
    chunks: ['You can change ', 'your shipping address ', 'under Account > Addresses ', 'until the order ships.'],
    usage: { prompt: 61, completion: 19, cached: 0 },
  },
  // Conversation 3, turn 2: server error.
  'c3-t2.1': {
    error: {
      status: 500,
      headers: {},
      body: {
        error: {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
    },
  },
};

function caseText(c) {
  return c.text ?? (c.chunks ? c.chunks.join('') : null);
}

function chatUsage(u) {
  const usage = {
    prompt_tokens: u.prompt,
    completion_tokens: u.completion,
    total_tokens: u.prompt + u.completion,
  };
  if (u.cached !== undefined) {
    usage.prompt_tokens_details = { cached_tokens: u.cached, audio_tokens: 0 };
    usage.completion_tokens_details = {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    };
  }
  return usage;
}

function responsesUsage(u) {
  return {
    input_tokens: u.prompt,
    input_tokens_details: { cached_tokens: u.cached ?? 0 },
    output_tokens: u.completion,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: u.prompt + u.completion,
  };
}

function chatCompletion(c, id) {
  const message = c.toolCall
    ? {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: c.toolCall.id,
            type: 'function',
            function: { name: c.toolCall.name, arguments: c.toolCall.arguments },
          },
        ],
        refusal: null,
        annotations: [],
      }
    : { role: 'assistant', content: caseText(c), refusal: null, annotations: [] };
  return {
    id,
    object: 'chat.completion',
    created: CREATED,
    model: c.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: c.toolCall ? 'tool_calls' : 'stop' }],
    usage: chatUsage(c.usage),
    service_tier: 'default',
    system_fingerprint: 'fp_fixture01',
  };
}

function chatChunks(c, id, includeUsage) {
  const base = { id, object: 'chat.completion.chunk', created: CREATED, model: c.model, service_tier: 'default', system_fingerprint: 'fp_fixture01' };
  const extra = includeUsage ? { usage: null } : {};
  const out = [];
  out.push({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...extra });
  for (const part of c.chunks) {
    out.push({ ...base, choices: [{ index: 0, delta: { content: part }, logprobs: null, finish_reason: null }], ...extra });
  }
  out.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], ...extra });
  if (includeUsage) {
    out.push({ ...base, choices: [], usage: chatUsage(c.usage) });
  }
  return out;
}

function responseOutput(c, n) {
  if (c.toolCall) {
    return [
      {
        type: 'function_call',
        id: `fc_fixture_${n}`,
        call_id: c.toolCall.id,
        name: c.toolCall.name,
        arguments: c.toolCall.arguments,
        status: 'completed',
      },
    ];
  }
  return [
    {
      type: 'message',
      id: `msg_fixture_${n}`,
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'output_text', text: caseText(c), annotations: [], logprobs: [] }],
    },
  ];
}

function responseObject(c, id, n, reqBody, status = 'completed') {
  return {
    id,
    object: 'response',
    created_at: CREATED,
    status,
    error: null,
    incomplete_details: null,
    instructions: reqBody.instructions ?? null,
    model: c.model,
    output: status === 'completed' ? responseOutput(c, n) : [],
    parallel_tool_calls: true,
    temperature: reqBody.temperature ?? 1,
    top_p: reqBody.top_p ?? 1,
    tool_choice: 'auto',
    tools: reqBody.tools ?? [],
    conversation: reqBody.conversation
      ? { id: typeof reqBody.conversation === 'string' ? reqBody.conversation : reqBody.conversation.id }
      : null,
    usage: status === 'completed' ? responsesUsage(c.usage) : null,
    service_tier: 'default',
    store: true,
  };
}

function responseEvents(c, id, n, reqBody) {
  const events = [];
  let seq = 0;
  const ev = (type, data) => events.push({ type, data: { type, sequence_number: seq++, ...data } });
  ev('response.created', { response: responseObject(c, id, n, reqBody, 'in_progress') });
  ev('response.in_progress', { response: responseObject(c, id, n, reqBody, 'in_progress') });
  const [item] = responseOutput(c, n);
  ev('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
  ev('response.content_part.added', { item_id: item.id, output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
  for (const part of c.chunks) {
    ev('response.output_text.delta', { item_id: item.id, output_index: 0, content_index: 0, delta: part, logprobs: [] });
  }
  ev('response.output_text.done', { item_id: item.id, output_index: 0, content_index: 0, text: caseText(c), logprobs: [] });
  ev('response.content_part.done', { item_id: item.id, output_index: 0, content_index: 0, part: item.content[0] });
  ev('response.output_item.done', { output_index: 0, item });
  ev('response.completed', { response: responseObject(c, id, n, reqBody, 'completed') });
  return events;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Start the fake provider on 127.0.0.1 with a random port.
 * @returns {Promise<{ origin: string, ledger: object[], close: () => Promise<void> }>}
 */
export async function startFakeProvider() {
  const ledger = [];
  const counters = { chat: 0, responses: 0 };

  const server = http.createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const api =
        req.method === 'POST' && req.url === '/v1/chat/completions'
          ? 'chat'
          : req.method === 'POST' && req.url === '/v1/responses'
            ? 'responses'
            : null;
      if (!api) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error' } }));
        return;
      }
      const reqBody = JSON.parse(body);
      const caseId = req.headers['x-fixture-case'];
      const c = CASES[caseId];
      if (!c) {
        throw new Error(`unknown x-fixture-case ${JSON.stringify(caseId)}`);
      }
      const n = String(++counters[api]).padStart(4, '0');
      const requestId = `req_fixture_${api}_${n}`;
      const stream = reqBody.stream === true;
      const includeUsage = api === 'chat' ? reqBody.stream_options?.include_usage === true : true;
      const entry = {
        api,
        path: req.url,
        case: caseId,
        requestModel: reqBody.model,
        stream,
        includeUsage: stream ? includeUsage : undefined,
        requestMessages: api === 'chat' ? reqBody.messages.length : (Array.isArray(reqBody.input) ? reqBody.input.length : 1) + (reqBody.instructions ? 1 : 0),
        requestRoles: api === 'chat' ? reqBody.messages.map((m) => m.role) : undefined,
        requestId,
      };
      ledger.push(entry);

      if (c.error) {
        Object.assign(entry, { status: c.error.status, errorCode: c.error.body.error.code, errorMessage: c.error.body.error.message });
        res.writeHead(c.error.status, { 'content-type': 'application/json', 'x-request-id': requestId, ...c.error.headers });
        res.end(JSON.stringify(c.error.body));
        return;
      }

      const id = api === 'chat' ? `chatcmpl-fixture-${n}` : `resp_fixture_${n}`;
      Object.assign(entry, {
        status: 200,
        responseId: id,
        responseModel: c.model,
        finishReason: api === 'chat' ? (c.toolCall ? 'tool_calls' : 'stop') : c.toolCall ? 'tool_call' : 'stop',
        usage: {
          promptTokens: c.usage.prompt,
          completionTokens: c.usage.completion,
          // null = the provider did not send prompt_tokens_details at all
          cachedTokens: api === 'chat' ? (c.usage.cached ?? null) : (c.usage.cached ?? 0),
        },
        // When streaming without include_usage the client never sees usage.
        usageReported: !stream || includeUsage,
        text: caseText(c),
        toolCall: c.toolCall ?? null,
      });

      if (!stream) {
        const payload = api === 'chat' ? chatCompletion(c, id) : responseObject(c, id, n, reqBody);
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': requestId, 'openai-processing-ms': '42' });
        res.end(JSON.stringify(payload));
        return;
      }
      if (!c.chunks) {
        throw new Error(`case ${caseId} has no chunks but was requested with stream: true`);
      }
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-request-id': requestId });
      if (api === 'chat') {
        for (const chunk of chatChunks(c, id, includeUsage)) {
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        res.write('data: [DONE]\n\n');
      } else {
        for (const e of responseEvents(c, id, n, reqBody)) {
          res.write(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
        }
      }
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
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

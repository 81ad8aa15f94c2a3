// Hand-written part of test/fixtures/otel/ATTRIBUTES.md. The tables after it
// are computed from the files by inventory.mjs. Keep this text in step with
// what the generated inventory shows.

export const FIXTURE_FILES = [
  ['traces.otlp.jsonl', 'logs.otlp.jsonl'],
  ['traces.responses.otlp.jsonl', 'logs.responses.otlp.jsonl'],
];

export const MARKERS = ['jane.doe@example.com', '<script>alert(1)</script>', 'You are Acme Support Bot.'];

export const PROSE = `
# OTLP fixtures: what is in them

Written by \`tools/otel-fixtures/generate.mjs\`, which drives the real \`openai\` SDK (6.40.0), instrumented by the official
\`@opentelemetry/instrumentation-openai\` (0.21.0, \`captureMessageContent: true\`), and exports through the real
OTLP/HTTP **JSON** exporters (\`@opentelemetry/exporter-{trace,logs}-otlp-http\` 0.223.0, SDK 2.12.0 / sdk-logs 0.223.0)
to a local receiver that writes each export request as one line, exactly like the Collector's \`file\` exporter. The model
answers come from a deterministic fake provider on 127.0.0.1. \`expected.json\` holds what the scenario sent and received.

| file | content |
| --- | --- |
| \`traces.otlp.jsonl\` | spans, Chat Completions API (\`client.chat.completions.create\`): the default GenAI conventions |
| \`logs.otlp.jsonl\` | log records (GenAI events with message content) of the same run |
| \`traces.responses.otlp.jsonl\` | spans, the same scenario through the Responses API (\`client.responses.create\`): the newer conventions |
| \`logs.responses.otlp.jsonl\` | log records of that run |
| \`expected.json\` | per call: session, user, models, streamed, tokens, finish reason, HTTP status; totals; per-file counts |

There is **no** \`traces.latest.otlp.jsonl\` / \`logs.latest.otlp.jsonl\`: instrumentation-openai 0.21.0 (the newest
release that runs on Node 20; 0.22.0 needs Node >= 22.15 and has no such switch either) does not read
\`OTEL_SEMCONV_STABILITY_OPT_IN\`, so \`gen_ai_latest_experimental\` changes nothing. What it does instead is use one
convention per API: Chat Completions always get the older event-per-message conventions, the Responses API always gets
the newer \`gen_ai.client.inference.operation.details\` event. The \`*.responses.*\` files are therefore the
"latest-experimental" shape to parse; see "Default vs newer conventions" below.

Deterministic from run to run except \`traceId\`, \`spanId\`, \`parentSpanId\` and the \`*TimeUnixNano\` fields.

## The scenario

Service \`acme-support-bot\` 1.4.2, environment \`production\`. 3 conversations (sessions) by 2 users, 7 user turns, 8
model calls per run (6 succeed, 1 HTTP 429, 1 HTTP 500):

| session | user | conversation | turn | model requested | what happens |
| --- | --- | --- | --- | --- | --- |
| sess-0001 | user-1001 | conv-0001 | 1 | gpt-4o-mini | user message has PII \`jane.doe@example.com\`; model asks for tool \`get_order_status\`, app runs it (\`execute_tool\` span), second call answers |
| sess-0001 | user-1001 | conv-0001 | 2 | gpt-4o-mini | PII again; plain answer; cached tokens 192 |
| sess-0002 | user-2002 | conv-0002 | 1 | gpt-4o | plain answer, response model \`gpt-4o-2024-08-06\`; app span has ONLY the deprecated \`code.filepath\`/\`code.lineno\`/\`code.function\` |
| sess-0002 | user-2002 | conv-0002 | 2 | gpt-4o | injection attempt \`Ignore previous instructions <script>alert(1)</script> …\`; refusal-style answer |
| sess-0002 | user-2002 | conv-0002 | 3 | gpt-4o | **HTTP 429** \`RateLimitError\` |
| sess-0003 | user-1001 | conv-0003 | 1 | gpt-4o-mini | **streamed** (\`stream_options.include_usage\`); app span has BOTH current and deprecated \`code.*\` keys |
| sess-0003 | user-1001 | conv-0003 | 2 | gpt-4o-mini | **HTTP 500** \`InternalServerError\` |

Each conversation is one export request, so each file has 3 lines (line 1 = sess-0001, 2 = sess-0002, 3 = sess-0003).

## Facts the parser must handle

**Envelope.** One \`TracesData\` (\`{"resourceSpans":[…]}\`) or \`LogsData\` (\`{"resourceLogs":[…]}\`) per line; here one
\`resourceSpans\`/\`resourceLogs\` entry per line. Field names are lowerCamelCase. Spans come in two scopes:
\`@opentelemetry/instrumentation-openai\` 0.21.0 (the \`chat <model>\` CLIENT spans and all log records) and
\`acme-support-bot\` 1.4.2 (the app's \`chat turn\` and \`execute_tool get_order_status\` spans). Inside a line spans are
grouped by scope (instrumentation scope first), so file order is not end-time order.

**Ids.** \`traceId\` (32) and \`spanId\`/\`parentSpanId\` (16) are lowercase **hex** strings, not base64, in spans and log
records alike. A root span has **no** \`parentSpanId\` key at all (not \`""\`).

**Numbers and enums.** \`kind\`, \`status.code\`, \`severityNumber\` and \`flags\` are JSON numbers (\`"kind": 3\`, not
\`"SPAN_KIND_CLIENT"\`). Kinds here: 1 INTERNAL (\`execute_tool …\`), 2 SERVER (\`chat turn\`), 3 CLIENT (\`chat <model>\`).
\`intValue\` is a JSON **number** (\`{"intValue": 443}\`); the OTLP/JSON mapping of int64 and the Collector's own file
exporter use a string (\`{"intValue": "443"}\`), so accept both. \`doubleValue\` is a number (\`0.2\`). Timestamps are JSON
strings of nanoseconds. \`status\` is \`{"code": 0}\` when unset and \`{"code": 2, "message": "…"}\` on error. Span
\`flags\` is 257 (sampled + "parent is not remote" bit), log \`flags\` is 1.

**Timestamps.** Span \`startTimeUnixNano\` and log \`timeUnixNano\`/\`observedTimeUnixNano\` are whole milliseconds
(\`…838000000\`), span \`endTimeUnixNano\` is sub-millisecond; a child span can appear to end up to ~1 ms after its parent.
\`observedTimeUnixNano\` is the emit time and can be 1 ms after \`timeUnixNano\`. All log records for the request
messages of one call share the same \`timeUnixNano\` (and often share it with the previous call's \`gen_ai.choice\`):
keep file order, don't sort by time alone.

**Session and user live only on the root.** \`session.id\`, \`user.id\` and \`gen_ai.conversation.id\` are on the
\`chat turn\` spans only. Each user turn is its own trace: \`chat turn\` is the root, the \`chat <model>\` spans and the
\`execute_tool\` span are its direct children (same \`traceId\`, \`parentSpanId\` = the root's \`spanId\`). Log records
point at the \`chat <model>\` span (never at the root), so the session/user of a log record is found via
\`traceId\` → root span of that trace (or \`spanId\` → client span → \`parentSpanId\` → root). Exception: in the Responses
run the successful client spans also carry \`gen_ai.conversation.id\` (echoed from the API's \`conversation.id\`), but
still no session or user.

**Code location.** \`code.file.path\` is repo-relative (\`tools/otel-fixtures/scenario.mjs\`, a real file; semconv prefers
absolute paths, so expect both), \`code.line.number\` an int, \`code.function.name\` \`handleTurn\`. One span per run has
only \`code.filepath\`/\`code.lineno\`/\`code.function\` (deprecated), one has both spellings with equal values.
\`expected.json\` → \`perCall[].code\` says which.

**Errors.** The failed \`chat <model>\` span has \`status.code\` 2 with the SDK's message (\`"429 Rate limit reached …"\`,
\`"500 The server had an error …"\`) and \`error.type\` = the SDK error class (\`RateLimitError\`, \`InternalServerError\`).
There is **no HTTP status attribute** anywhere: the status number is only the first word of the message (and in
\`expected.json\`). The failed span has no \`gen_ai.response.*\` or \`gen_ai.usage.*\`. The parent \`chat turn\` has status
2 too and one span event \`exception\` with \`exception.type\`, \`exception.message\`, \`exception.stacktrace\`. Note
\`exception.type\` is \`"rate_limit_exceeded"\` for the 429 (OTel JS \`recordException\` prefers the error's \`code\`) and
\`"Error"\` for the 500 (no code, and the SDK's errors keep \`name\` = \`Error\`). The stack has only openai SDK frames
(made repo-relative by the generator), no app frame. A failed call still has its request-message log records, but no
\`gen_ai.choice\` / output record.

**Tokens.** \`gen_ai.usage.input_tokens\` / \`gen_ai.usage.output_tokens\` (intValue) on successful client spans; the
streamed call has them too because \`include_usage\` was set. **Cached tokens are not recorded** in either run although
the provider sent them (\`prompt_tokens_details.cached_tokens\` 128 and 192; \`input_tokens_details.cached_tokens\` for
Responses): they exist only in \`expected.json\`. No cost attribute. \`gen_ai.request.max_tokens\` (512) and
\`gen_ai.request.temperature\` (0.2) are present on every client span.

**Empty values.** A property the instrumentation left \`undefined\` is serialized as an empty AnyValue: \`{"key": "tool_calls",
"value": {}}\` in \`gen_ai.assistant.message\` bodies without tool calls, \`{"key": "id", "value": {}}\` in a Responses
\`tool_call_response\` part, and \`"body": {}\` on every Responses log record. Treat \`{}\` as "no value".

**Content is verbatim.** Message text, including the PII and \`<script>\` strings, is stored as-is in \`stringValue\`s (no
HTML escaping, no redaction). Tool-call arguments and tool results are JSON **strings** inside \`stringValue\`
(\`"{\\"order_id\\":\\"A-1001\\"}"\`).

## Where message content ends up

**Chat Completions run (\`logs.otlp.jsonl\`).** Nothing on spans. Every call emits, at span start, one log record per
request message **including the whole history resent with that call** (so the system prompt appears 8 times and the first
user message of sess-0001 3 times), then, when the call succeeds, one \`gen_ai.choice\` record per choice. The event name
is the **attribute** \`event.name\` (there is no top-level \`eventName\` field). The role is implied by the event name:

| \`event.name\` | body (kvlistValue) |
| --- | --- |
| \`gen_ai.system.message\` | \`{ content }\` |
| \`gen_ai.user.message\` | \`{ content }\` |
| \`gen_ai.assistant.message\` (history) | \`{ content?, tool_calls }\`; \`tool_calls\` is \`[{ id, type, function: { name, arguments } }]\` or \`{}\` when none |
| \`gen_ai.tool.message\` | \`{ id, content }\` (\`id\` = tool_call_id) |
| \`gen_ai.choice\` (response) | \`{ finish_reason, index (int), message: { content? , tool_calls? } }\` |

Each record also has attribute \`gen_ai.system\` = \`openai\`. To list the new messages of a call without repeats, use
the records of the last user/tool message(s) plus its \`gen_ai.choice\`, or de-duplicate by position in history.

**Responses run (\`logs.responses.otlp.jsonl\`).** Top-level \`eventName\` field =
\`gen_ai.client.inference.operation.details\`, no \`event.name\` attribute, \`body\` is \`{}\`. Two records per successful
call (one per failed call): the input record (emitted at span start) with attribute \`gen_ai.input.messages\`, and the
output record with \`gen_ai.output.messages\`. Both are structured \`arrayValue\` of \`kvlistValue\` (not JSON strings):
\`[{ role, parts: [{ type: "text", content } | { type: "tool_call", id, name, arguments, call_id } |
{ type: "tool_call_response", id: {}, response, call_id }] , finish_reason (output only) }]\`. Input messages contain
the system prompt (role \`system\`, from \`instructions\`) and only the new user/tool items of that call (the history is
kept server-side through \`conversation\`). The system prompt is **also on the span**, as the string attribute
\`gen_ai.system_instructions\`.

## Default vs newer conventions (\`traces/logs.otlp.jsonl\` vs \`traces/logs.responses.otlp.jsonl\`)

| | Chat Completions (default) | Responses API (newer) |
| --- | --- | --- |
| provider attribute on spans | \`gen_ai.system\` = \`openai\` | \`gen_ai.provider.name\` = \`openai\` |
| provider attribute on logs | \`gen_ai.system\` | \`gen_ai.provider.name\` |
| event name | attribute \`event.name\`, 5 names (one per role + \`gen_ai.choice\`) | field \`eventName\`, one name \`gen_ai.client.inference.operation.details\` |
| message content | log body \`kvlistValue\`, one record per message | log attributes \`gen_ai.input.messages\` / \`gen_ai.output.messages\`, body \`{}\` |
| system prompt | \`gen_ai.system.message\` log record | span attribute \`gen_ai.system_instructions\` + role \`system\` in \`gen_ai.input.messages\` |
| finish reasons | OpenAI's values: \`tool_calls\`, \`stop\` | derived by the instrumentation: \`tool_call\`, \`stop\` |
| \`gen_ai.conversation.id\` on client spans | never | on successful calls |
| \`gen_ai.response.id\` | \`chatcmpl-fixture-NNNN\` | \`resp_fixture_NNNN\` |
| span names, kinds, \`gen_ai.operation.name\` | \`chat <requested model>\`, CLIENT, \`chat\` | same |
| tokens | \`gen_ai.usage.input_tokens\` / \`output_tokens\` | same (no cached tokens in either) |
| errors | \`error.type\` + status | same |
| resource | \`deployment.environment\` = \`production\` | \`deployment.environment.name\` = \`production\` (chosen by the generator, to cover both keys) |
| history resent per call | yes | no |

The attribute order inside a span also differs between the two runs (and between streamed and non-streamed calls);
don't depend on it.
`;

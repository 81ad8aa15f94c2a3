// Which strings of a record are looked at, and which scope (system, prompt, response, tool, retrieval, metadata)
// each belongs to. Decided from key names along the JSON path, from the `role` of the message a string sits in, from
// the `type` of a message part (tool calls), and from the event name of an OTLP log record. The deepest hint wins:
// `messages[2].content` is a prompt because of `messages`, unless messages[2] has role "assistant" (response).
// Works for the project's format, OpenAI/Anthropic-style message lists, OTLP GenAI attributes
// (gen_ai.input.messages, gen_ai.system_instructions, …) and OpenInference (input.value, output.value);
// anything else is "metadata".
import type { Scope } from './types';

const KEY_SCOPES: [RegExp, Scope][] = [
  [/^(?:system|system_?prompt|system_?instructions?|instructions|preamble|gen_ai\.system_instructions|gen_ai\.system\.message)$/i, 'system'],
  [/^(?:response|responses|output|outputs|completion|completions|choice|choices|answer|reply|gen_ai\.output\.messages|gen_ai\.completion|gen_ai\.choice|gen_ai\.assistant\.message|output\.value|llm\.output_messages)$/i, 'response'],
  [/^(?:tool_?calls?|tool_?use|tools|function_?call|function_?calls|arguments|args|tool_?results?|result|results|observation|gen_ai\.tool\.call\.arguments|gen_ai\.tool\.call\.result|gen_ai\.tool\.message|tool\.parameters)$/i, 'tool'],
  [/^(?:retrieval|retrieved|chunks?|documents|contexts?|sources|citations|passages|search_results|retrieval\.documents)$/i, 'retrieval'],
  [/^(?:messages|prompt|prompts|input|inputs|query|question|user_?input|gen_ai\.input\.messages|gen_ai\.prompt|gen_ai\.user\.message|input\.value|llm\.input_messages)$/i, 'prompt'],
];

const ROLE_SCOPES: Record<string, Scope> = {
  system: 'system',
  developer: 'system',
  user: 'prompt',
  human: 'prompt',
  assistant: 'response',
  model: 'response',
  ai: 'response',
  bot: 'response',
  tool: 'tool',
  function: 'tool',
  ipython: 'tool',
};

const TOOL_PART_TYPES = /^(?:tool_call|tool_call_response|tool_calls|function_call|function_call_output|function|tool_use|tool_result)$/;

const EVENT_SCOPES: Record<string, Scope> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'prompt',
  'gen_ai.assistant.message': 'response',
  'gen_ai.choice': 'response',
  'gen_ai.tool.message': 'tool',
};

/** The scope a key name implies, or null. */
export function scopeOfKey(key: string): Scope | null {
  for (const [re, scope] of KEY_SCOPES) if (re.test(key)) return scope;
  return null;
}

/** The scope a message role (`role`), part type (`type`) or OTLP event name implies, or null. */
export function scopeOfObject(role: string | null, partType: string | null, eventName: string | null): Scope | null {
  if (partType !== null && TOOL_PART_TYPES.test(partType)) return 'tool';
  if (role !== null) {
    const scope = ROLE_SCOPES[role.toLowerCase()];
    if (scope) return scope;
  }
  if (eventName !== null) return EVENT_SCOPES[eventName] ?? null;
  return null;
}

const INTEGRITY_KEYS: ReadonlySet<string> = new Set(['hash', 'prev_hash', 'prevHash', 'signature']);
/** Identifier-like keys that still carry personal data: not skipped. */
const PERSONAL_ID_KEYS = /^(?:user_?id|user\.id|enduser\.id|gen_ai\.user\.id|customer_?id|account_?id|actor|email|phone|ip|client_?ip)$/i;

/** True for integrity fields (hash, prev_hash, signature), ids and timestamps, whose values are never scanned. */
export function isSkippedKey(key: string): boolean {
  if (INTEGRITY_KEYS.has(key)) return true;
  if (PERSONAL_ID_KEYS.test(key)) return false;
  const lower = key.toLowerCase();
  if (/^(?:id|ids|seq|ts|timestamp|time|schema)$/.test(lower)) return true;
  if (/[_.-](?:id|ids|ts|at|time|timestamp)$/.test(lower)) return true; // session_id, gen_ai.response.id, created_at
  if (/[a-z0-9](?:Id|Ids|Ts|At|Time|Timestamp|TimeUnixNano)$/.test(key)) return true; // traceId, spanId, startTimeUnixNano
  return /unix_?nano$/.test(lower);
}

/** Keys holding the session a record (or OTLP span/log record) belongs to. */
export const SESSION_KEYS: readonly string[] = ['session_id', 'sessionId', 'session.id'];

// User-defined mappings for exports no built-in dialect knows: JSONPath expressions (jsonpath-plus) on the raw record
// give the normalized fields. The caller loads them from the workspace file `.auditlens.json`:
//
//   { "mappings": [ { "name": "acme-bot", "match": "$.meta.app", "kind": "llm",
//                     "fields": { "ts": "$.meta.time", "sessionId": "$.conv", "inputTokens": "$.usage.in",
//                                 "messages": "$.history[*]" } } ] }
//
// A mapping applies to a record when its `match` expression finds something in it; the first mapping that applies
// wins, before any built-in detection (mapValue). The dialect shown in the load summary is `jsonpath:<name>`.
import { JSONPath } from 'jsonpath-plus';
import { emptyEvent, type EventKind, type NormalizedEvent, type NormalizedMessage, type NormalizedToolCall, type Provenance } from '../model/normalized';
import { sha256 } from './auditlens';
import { arr, clip, contentText, normalizeTimestamp, num, obj, pick, str, type Json, jsonText, addMs } from './values';

/** Normalized fields a mapping can fill, and what each expects the JSONPath to find. */
export const MAPPABLE_FIELDS = {
  id: 'the record id (text)',
  type: "the source's own name for the event (text)",
  kind: 'llm, embedding, tool, retrieval, agent, chain, guardrail, message, session, feedback, system, access, security or other; or a type name with such a prefix',
  ts: 'start time (ISO 8601, or epoch seconds / milliseconds / nanoseconds)',
  endTs: 'end time',
  latencyMs: 'duration in milliseconds',
  traceId: 'trace id',
  spanId: 'span id',
  parentSpanId: 'parent span id',
  sessionId: 'session or conversation id',
  userId: 'user id',
  environment: 'environment (e.g. production)',
  service: 'service or application name',
  provider: 'model provider (e.g. openai)',
  model: 'requested model',
  responseModel: 'model that answered',
  operation: 'operation (e.g. chat)',
  inputTokens: 'input (prompt) tokens',
  outputTokens: 'output (completion) tokens',
  cachedTokens: 'cached input tokens',
  reasoningTokens: 'reasoning tokens',
  costUsd: 'cost in USD as logged',
  temperature: 'temperature',
  topP: 'top_p',
  maxTokens: 'max tokens',
  status: 'ok / success / error / failed / blocked (or an HTTP status code)',
  errorType: 'error type or code',
  errorMessage: 'error message (its presence makes the status error)',
  finishReason: 'why generation stopped',
  tags: 'tags: every match (arrays flattened)',
  system: 'system instructions (text)',
  messages: 'input messages: every match, each {role, content} (also speaker/author/from and text/message/body), a text, or an array of them',
  input: 'the prompt as one text (a user message)',
  output: 'the response: a text, a message, or an array of messages',
  toolCalls: 'tool calls: every match, each {name, arguments, result} or OpenAI {function: {name, arguments}}',
  feedbackRating: 'feedback rating',
  feedbackComment: 'feedback comment',
  action: 'system event action (e.g. config_change)',
  actor: 'who performed a system event',
  target: 'what a system event concerned',
  preview: 'a short text for lists (default: the last user message, else the response)',
} as const;

export type MappableField = keyof typeof MAPPABLE_FIELDS;

export interface JsonPathMapping {
  /** Shown in the load summary as the dialect `jsonpath:<name>`. */
  name: string;
  /** A JSONPath that must find something in a record for the mapping to apply. */
  match: string;
  /** The kind of every event of this mapping, unless `fields.kind` gives one. */
  kind?: EventKind;
  /** Normalized field → JSONPath on the raw record. */
  fields: Partial<Record<MappableField, string>>;
}

/** The content of `.auditlens.json`. */
export interface AuditLensWorkspaceConfig {
  mappings: JsonPathMapping[];
}

export type ConfigResult = { ok: true; config: AuditLensWorkspaceConfig } | { ok: false; errors: string[] };

const KINDS: EventKind[] = ['llm', 'embedding', 'tool', 'retrieval', 'agent', 'chain', 'guardrail', 'message', 'session', 'feedback', 'system', 'access', 'security', 'other'];
const PROBE = { a: [{ b: 1, c: 'x' }], d: { e: true } };

/** A value the path can walk to its end: objects for names, arrays for indexes, slices, wildcards and filters. */
function probeFor(path: string): object {
  const segments = JSONPath.toPathArray(path).slice(1).filter((seg) => seg !== '..' && seg !== '$');
  let node: object = { value: 1 };
  for (let i = segments.length - 1; i >= 0; i--) {
    const seg = segments[i];
    node = seg.startsWith('?(') || seg.startsWith('(') || seg === '*' || /^-?\d*(:-?\d*){0,2}$/.test(seg) ? [node, node] : { [seg]: node };
  }
  return node;
}

/** Why `path` is not a usable JSONPath, or null. */
export function jsonPathProblem(path: unknown): string | null {
  if (typeof path !== 'string') return `must be a JSONPath string (found ${path === null ? 'null' : Array.isArray(path) ? 'an array' : typeof path})`;
  if (!path.trim().startsWith('$')) return `"${path}" is not a JSONPath: it must start with "$" (e.g. "$.${path.replace(/^[.$]+/, '') || 'field'}")`;
  let depth = 0;
  let quote: string | null = null;
  for (const ch of path) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') depth--;
    if (depth < 0) break;
  }
  if (quote || depth !== 0) return `"${path}" has unbalanced brackets, parentheses or quotes`;
  try {
    JSONPath({ path, json: PROBE, wrap: true, eval: 'safe' });
    // Filter and script expressions are only compiled when the path reaches an array: walk one that does.
    JSONPath({ path, json: probeFor(path), wrap: true, eval: 'safe' });
  } catch (err) {
    return `"${path}" is not a valid JSONPath: ${(err as Error).message}`;
  }
  return null;
}

/** Validates a parsed `.auditlens.json`; every problem is reported, with where it is. */
export function validateMappingConfig(value: unknown): ConfigResult {
  const errors: string[] = [];
  const root = obj(value);
  if (!root) return { ok: false, errors: ['.auditlens.json must hold a JSON object like {"mappings": [...]}'] };
  if (!Array.isArray(root.mappings)) return { ok: false, errors: ['"mappings" must be an array of mappings ({"name", "match", "fields"})'] };
  const names = new Set<string>();
  const mappings: JsonPathMapping[] = [];
  root.mappings.forEach((m, i) => {
    const at = `mappings[${i}]`;
    const mo = obj(m);
    if (!mo) {
      errors.push(`${at} must be an object with "name", "match" and "fields"`);
      return;
    }
    const name = typeof mo.name === 'string' ? mo.name.trim() : '';
    if (!name) errors.push(`${at}.name is required: a short text shown as the dialect "jsonpath:<name>"`);
    else if (names.has(name)) errors.push(`${at}.name "${name}" is used by an earlier mapping`);
    names.add(name);
    const label = name ? `${at} ("${name}")` : at;
    if (mo.match === undefined) errors.push(`${label}.match is required: a JSONPath that finds something only in the records this mapping is for`);
    else {
      const p = jsonPathProblem(mo.match);
      if (p) errors.push(`${label}.match ${p}`);
    }
    if (mo.kind !== undefined && !KINDS.includes(mo.kind as EventKind)) errors.push(`${label}.kind must be one of ${KINDS.join(', ')} (found ${JSON.stringify(mo.kind)})`);
    const fields = obj(mo.fields);
    if (!fields) errors.push(`${label}.fields must be an object of normalized field → JSONPath`);
    else {
      if (Object.keys(fields).length === 0) errors.push(`${label}.fields is empty: map at least one field`);
      for (const [k, v] of Object.entries(fields)) {
        if (!(k in MAPPABLE_FIELDS)) {
          errors.push(`${label}.fields.${k} is not a normalized field; known fields: ${Object.keys(MAPPABLE_FIELDS).join(', ')}`);
          continue;
        }
        const p = jsonPathProblem(v);
        if (p) errors.push(`${label}.fields.${k} ${p}`);
      }
    }
    for (const k of Object.keys(mo)) if (!['name', 'match', 'kind', 'fields'].includes(k)) errors.push(`${label}.${k} is not a mapping property (name, match, kind, fields)`);
    if (errors.length === 0) mappings.push({ name, match: mo.match as string, ...(mo.kind ? { kind: mo.kind as EventKind } : {}), fields: fields as JsonPathMapping['fields'] });
  });
  return errors.length ? { ok: false, errors } : { ok: true, config: { mappings } };
}

/** Parses the text of `.auditlens.json` and validates it. */
export function parseMappingConfig(text: string): ConfigResult {
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { ok: false, errors: [`.auditlens.json is not valid JSON: ${(err as Error).message}`] };
  }
  return validateMappingConfig(value);
}

function query(record: unknown, path: string): unknown[] {
  try {
    const found = JSONPath({ path, json: record as object, wrap: true, eval: 'safe' });
    return Array.isArray(found) ? found.filter((v) => v !== undefined) : [];
  } catch {
    return [];
  }
}

/** Does the mapping apply to this record (its `match` finds something)? */
export function matchesMapping(record: unknown, mapping: JsonPathMapping): boolean {
  return obj(record) !== null && query(record, mapping.match).some((v) => v !== null);
}

const KIND_BY_PREFIX: [RegExp, EventKind][] = [
  [/^(llm|chat|completion|generation|model)/i, 'llm'],
  [/^embedding/i, 'embedding'],
  [/^tool/i, 'tool'],
  [/^retriev/i, 'retrieval'],
  [/^agent/i, 'agent'],
  [/^chain/i, 'chain'],
  [/^guardrail/i, 'guardrail'],
  [/^message/i, 'message'],
  [/^session/i, 'session'],
  [/^feedback/i, 'feedback'],
  [/^system/i, 'system'],
  [/^access/i, 'access'],
  [/^security/i, 'security'],
];

function toMessages(values: unknown[], defaultRole: string, toolCalls: NormalizedToolCall[]): NormalizedMessage[] {
  const out: NormalizedMessage[] = [];
  const one = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(one);
    if (typeof v === 'string') return out.push({ role: defaultRole, content: v });
    const o = obj(v);
    if (!o) return;
    toolCalls.push(...toToolCalls(arr(o.tool_calls)));
    const name = str(o.name);
    out.push({
      role: str(pick(o, 'role', 'speaker', 'author', 'from', 'sender', 'type')) ?? defaultRole,
      content: contentText(pick(o, 'content', 'text', 'message', 'body', 'value')) ?? '',
      ...(name ? { name } : {}),
    });
  };
  values.forEach(one);
  return out;
}

function toToolCalls(values: unknown[]): NormalizedToolCall[] {
  const out: NormalizedToolCall[] = [];
  const one = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(one);
    const o = obj(v);
    if (!o) return;
    const fn = obj(o.function);
    let args: unknown = pick(o, 'arguments', 'args', 'input', 'parameters') ?? fn?.arguments;
    if (typeof args === 'string') {
      try {
        args = JSON.parse(args);
      } catch {
        // keep the text
      }
    }
    out.push({ ...(str(o.id) ? { id: str(o.id)! } : {}), name: str(pick(o, 'name', 'tool', 'tool_name')) ?? str(fn?.name) ?? 'unknown', arguments: args, result: pick(o, 'result', 'output') });
  };
  values.forEach(one);
  return out;
}

function toStatus(value: unknown): NormalizedEvent['status'] {
  if (typeof value === 'boolean') return value ? 'ok' : 'error';
  const n = num(value);
  if (n !== null && n >= 100 && n < 600) return n < 400 ? 'ok' : 'error';
  const s = str(value)?.toLowerCase();
  if (!s) return null;
  if (/^(ok|success|succeeded|completed|done|pass(ed)?)$/.test(s)) return 'ok';
  if (/^(error|failed|failure|fail|exception|timeout)$/.test(s)) return 'error';
  if (/^(blocked|refused|denied|rejected)$/.test(s)) return 'blocked';
  return null;
}

/** Maps one record with one mapping (whether or not its `match` applies: see matchesMapping). */
export function mapWithJsonPath(record: unknown, mapping: JsonPathMapping, provenance: Provenance): NormalizedEvent {
  const f = mapping.fields;
  const all = (field: MappableField): unknown[] => (f[field] ? query(record, f[field]!) : []);
  const first = (field: MappableField): unknown => all(field).find((v) => v !== null && v !== undefined);
  const text = (field: MappableField) => {
    const v = first(field);
    return v === undefined ? null : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : jsonText(v);
  };
  const type = text('type') ?? mapping.name;
  const kindValue = str(first('kind'));
  const kind: EventKind =
    (kindValue && (KINDS.includes(kindValue.toLowerCase() as EventKind) ? (kindValue.toLowerCase() as EventKind) : KIND_BY_PREFIX.find(([re]) => re.test(kindValue))?.[1])) ||
    mapping.kind ||
    (first('model') !== undefined || first('inputTokens') !== undefined ? 'llm' : 'other');
  const ev = emptyEvent(provenance, kind, type);
  ev.id = text('id');
  ev.ts = normalizeTimestamp(first('ts'));
  ev.endTs = normalizeTimestamp(first('endTs'));
  ev.latencyMs = num(first('latencyMs'));
  if (ev.latencyMs === null && ev.ts && ev.endTs) ev.latencyMs = Date.parse(ev.endTs) - Date.parse(ev.ts);
  if (ev.endTs === null && ev.ts && ev.latencyMs !== null) ev.endTs = addMs(ev.ts, ev.latencyMs);
  ev.traceId = text('traceId');
  ev.spanId = text('spanId');
  ev.parentSpanId = text('parentSpanId');
  ev.sessionId = text('sessionId');
  ev.userId = text('userId');
  ev.environment = text('environment');
  ev.service = text('service');
  ev.provider = text('provider');
  ev.requestModel = text('model');
  ev.responseModel = text('responseModel');
  ev.operation = text('operation');
  ev.inputTokens = num(first('inputTokens'));
  ev.outputTokens = num(first('outputTokens'));
  ev.cachedTokens = num(first('cachedTokens'));
  ev.reasoningTokens = num(first('reasoningTokens'));
  ev.costUsd = num(first('costUsd'));
  ev.temperature = num(first('temperature'));
  ev.topP = num(first('topP'));
  ev.maxTokens = num(first('maxTokens'));
  ev.errorMessage = text('errorMessage');
  ev.errorType = text('errorType');
  ev.status = toStatus(first('status')) ?? (ev.errorMessage || ev.errorType ? 'error' : null);
  ev.finishReason = text('finishReason');
  ev.tags = all('tags').flat().map(str).filter((t): t is string => t !== null);
  ev.feedbackRating = num(first('feedbackRating'));
  ev.feedbackComment = text('feedbackComment');
  const toolCalls = toToolCalls(all('toolCalls'));
  ev.content.input = toMessages(all('messages'), 'user', toolCalls);
  const input = text('input');
  if (input !== null) ev.content.input.push({ role: 'user', content: input });
  ev.content.output = toMessages(all('output').slice(0, 1), 'assistant', toolCalls);
  ev.content.toolCalls = toolCalls;
  const sys = text('system') ?? (ev.content.input.filter((m) => m.role === 'system').map((m) => m.content).join('\n') || null);
  ev.content.system = sys;
  ev.promptHash = sys ? sha256(sys) : null;
  const action = text('action');
  if (kind === 'system' || kind === 'access' || kind === 'security' || action) {
    ev.system = { action: action ?? type, actor: text('actor'), target: text('target'), detail: null };
  }
  const lastUser = [...ev.content.input].reverse().find((m) => m.role === 'user');
  ev.preview = clip(text('preview') ?? lastUser?.content ?? ev.content.output[0]?.content ?? ev.errorMessage ?? (ev.system ? `${ev.system.action} ${ev.system.target ?? ''}`.trim() : null));
  return ev;
}

export interface MappingPreview {
  /** Records looked at, and how many the mapping's `match` applies to. */
  records: number;
  matching: number;
  /** The first mapped events (of matching records), in record order. */
  events: NormalizedEvent[];
  /** Per mapped field: its path and in how many matching records it found something. */
  fields: { field: MappableField; path: string; hits: number }[];
  /** Paths that found nothing in any matching record (the match itself when no record matched). */
  unmatchedPaths: { field: MappableField | 'match'; path: string }[];
}

/** What a mapping gives on sample records: for the preview command, before the user saves `.auditlens.json`. */
export function previewMapping(records: readonly unknown[], mapping: JsonPathMapping, limit = 20): MappingPreview {
  const fields = (Object.entries(mapping.fields) as [MappableField, string][]).map(([field, path]) => ({ field, path, hits: 0 }));
  const events: NormalizedEvent[] = [];
  let matching = 0;
  records.forEach((record, i) => {
    if (!matchesMapping(record, mapping)) return;
    matching++;
    for (const f of fields) if (query(record, f.path).some((v) => v !== null && v !== undefined)) f.hits++;
    if (events.length < limit) events.push(mapWithJsonPath(record, mapping, { fileIndex: 0, line: i + 1, byteOffset: 0, byteLength: 0, index: 0 }));
  });
  const unmatchedPaths: MappingPreview['unmatchedPaths'] =
    matching === 0 ? [{ field: 'match', path: mapping.match }, ...fields.map(({ field, path }) => ({ field, path }))] : fields.filter((f) => f.hits === 0).map(({ field, path }) => ({ field, path }));
  return { records: records.length, matching, events, fields, unmatchedPaths };
}

/** The first mapping whose `match` applies to the record. */
export function findMapping(record: Json, mappings: readonly JsonPathMapping[]): JsonPathMapping | undefined {
  return mappings.find((m) => matchesMapping(record, m));
}

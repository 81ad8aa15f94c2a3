// Walks every string value of a record (and every integer of 7+ digits, which CSV turns bare numbers into) with its
// JSON path, field, scope and session, and rebuilds the record copy-on-write when the visitor replaces a value.
//
// OTLP JSON is walked through its wrappers: an attribute list `[{key, value: {stringValue}}]` reads as a field named
// by its key, `arrayValue.values` and `kvlistValue.values` as plain arrays and objects. So the string
// `resourceSpans[0].scopeSpans[0].spans[0].attributes[4].value.stringValue` has the field
// `resourceSpans[].scopeSpans[].spans[].attributes["gen_ai.input.messages"]` and the scope "prompt".
// Attribute names (`key`) and object keys are not scanned (see docs/redaction.md, "Limits").
import { SESSION_KEYS, isSkippedKey, scopeOfKey, scopeOfObject } from './scopeRules';
import type { Scope } from './types';

export interface LeafInfo {
  scope: Scope;
  /** session_id / sessionId / session.id of the nearest enclosing object that has one. */
  sessionId: string | null;
  /** The key whose value this is (an attribute's key for OTLP), if any. */
  key: string | undefined;
  /** Exact JSON path, e.g. `messages[1].content`. */
  path(): string;
  /** The path without array indices and OTLP wrappers, e.g. `messages[].content`: what counts are grouped by. */
  field(): string;
}

/** Returns the replacement for `text`, or undefined to keep it. */
export type LeafVisitor = (text: string, leaf: LeafInfo) => string | undefined;

interface State {
  scope: Scope;
  sessionId: string | null;
  key: string | undefined;
  /** Inside an OTLP arrayValue / kvlistValue: its `values` key is transparent. */
  wrapper: boolean;
}

type Json = Record<string, unknown>;

const ANY_VALUE_KEYS: ReadonlySet<string> = new Set(['stringValue', 'intValue', 'doubleValue', 'boolValue', 'bytesValue', 'arrayValue', 'kvlistValue']);
const IDENT = /^[A-Za-z_$][\w$]*$/;
const MIN_SCANNED_INTEGER = 1_000_000;
/** Deeper records are refused: the walk is recursive, and no real audit record nests this deep. */
export const MAX_DEPTH = 1000;

/** Thrown for a record nested deeper than MAX_DEPTH: callers skip it (it cannot be checked, so it is not copied). */
export class NestingTooDeepError extends Error {
  constructor() {
    super(`nesting deeper than ${MAX_DEPTH} levels: not scanned, not copied`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An OTLP attribute list: every element `{key: string, value: …}`. */
function isKeyValueList(value: unknown[]): value is { key: string; value: unknown }[] {
  return value.length > 0 && value.every((e) => isObject(e) && typeof e.key === 'string' && 'value' in e);
}

/** Sets an own property, also `__proto__` (as JSON.parse creates it), without touching prototypes. */
function setOwn(target: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** The plain string of an OTLP AnyValue or a plain value. */
function stringOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (isObject(value) && typeof value.stringValue === 'string') return value.stringValue;
  return null;
}

/** What the walker needs to know about a key name, computed once per distinct name (records repeat their keys). */
interface KeyInfo {
  skipped: boolean;
  scope: Scope | null;
  segment: string;
}

const KEY_INFO_LIMIT = 10_000;
const keyInfos = new Map<string, KeyInfo>();

function keyInfo(key: string): KeyInfo {
  let info = keyInfos.get(key);
  if (!info) {
    if (keyInfos.size >= KEY_INFO_LIMIT) keyInfos.clear(); // maps keyed by data (ids as keys) must not grow without bound
    info = { skipped: isSkippedKey(key), scope: scopeOfKey(key), segment: IDENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]` };
    keyInfos.set(key, info);
  }
  return info;
}

function joinPath(segments: readonly string[]): string {
  const s = segments.join('');
  return s.startsWith('.') ? s.slice(1) : s;
}

class Walker implements LeafInfo {
  private readonly exact: string[] = [];
  private readonly fields: string[] = [];
  scope: Scope = 'metadata';
  sessionId: string | null = null;
  key: string | undefined = undefined;
  private depth = 0;

  constructor(private readonly visitor: LeafVisitor) {}

  path(): string {
    return joinPath(this.exact);
  }

  field(): string {
    return joinPath(this.fields);
  }

  walk(value: unknown, st: State): unknown {
    if (typeof value === 'string') return this.leaf(value, st) ?? value;
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value) || Math.abs(value) < MIN_SCANNED_INTEGER) return value;
      const text = String(value);
      const r = this.leaf(text, st);
      return r === undefined || r === text ? value : r;
    }
    if (typeof value !== 'object' || value === null) return value;
    if (++this.depth > MAX_DEPTH) throw new NestingTooDeepError();
    try {
      if (Array.isArray(value)) return isKeyValueList(value) ? this.keyValues(value, st) : this.array(value, st);
      return this.object(value as Json, st);
    } finally {
      this.depth--;
    }
  }

  private leaf(text: string, st: State): string | undefined {
    this.scope = st.scope;
    this.sessionId = st.sessionId;
    this.key = st.key;
    const r = this.visitor(text, this);
    return r === undefined || r === text ? undefined : r;
  }

  private array(value: unknown[], st: State): unknown {
    let out: unknown[] | null = null;
    const inner: State = { ...st, wrapper: false };
    for (let i = 0; i < value.length; i++) {
      this.exact.push(`[${i}]`);
      this.fields.push('[]');
      const next = this.walk(value[i], inner);
      this.exact.pop();
      this.fields.pop();
      if (next !== value[i]) {
        out ??= value.slice();
        out[i] = next;
      }
    }
    return out ?? value;
  }

  /** An OTLP attribute list: each entry reads as a field named by its key. */
  private keyValues(list: { key: string; value: unknown }[], st: State): unknown {
    const hints = this.hintsOf((k) => stringOf(list.find((e) => e.key === k)?.value), st);
    let out: unknown[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const entry = list[i];
      const info = keyInfo(entry.key);
      if (info.skipped) continue;
      this.exact.push(`[${i}].value`);
      this.fields.push(info.segment);
      const next = this.walk(entry.value, { scope: info.scope ?? hints.scope, sessionId: hints.sessionId, key: entry.key, wrapper: false });
      this.exact.pop();
      this.fields.pop();
      if (next !== entry.value) {
        out ??= list.slice();
        out[i] = { ...entry, value: next };
      }
    }
    return out ?? list;
  }

  private object(value: Json, st: State): unknown {
    const attrs = Array.isArray(value.attributes) && isKeyValueList(value.attributes) ? value.attributes : null;
    const hints = this.hintsOf((k) => stringOf(value[k]) ?? (attrs ? stringOf(attrs.find((e) => e.key === k)?.value) : null), st);
    let out: Json | null = null;
    for (const k of Object.keys(value)) {
      const transparent = ANY_VALUE_KEYS.has(k) || (st.wrapper && k === 'values');
      const info = keyInfo(k);
      if (!transparent && info.skipped) continue;
      const child = value[k];
      if (typeof child !== 'string' && typeof child !== 'number' && (typeof child !== 'object' || child === null)) continue; // booleans, null
      let next: unknown;
      this.exact.push(info.segment);
      if (transparent) {
        next = this.walk(child, { scope: hints.scope, sessionId: hints.sessionId, key: st.key, wrapper: k === 'arrayValue' || k === 'kvlistValue' });
      } else {
        this.fields.push(info.segment);
        next = this.walk(child, { scope: info.scope ?? hints.scope, sessionId: hints.sessionId, key: k, wrapper: false });
        this.fields.pop();
      }
      this.exact.pop();
      if (next !== child) {
        out ??= { ...value };
        setOwn(out, k, next);
      }
    }
    return out ?? value;
  }

  /** The state inside an object: its session, and the scope its role / part type / event name implies. */
  private hintsOf(get: (key: string) => string | null, st: State): State {
    let sessionId = st.sessionId;
    for (const k of SESSION_KEYS) {
      const s = get(k);
      if (s !== null) {
        sessionId = s;
        break;
      }
    }
    const eventName = get('eventName') ?? get('event_name') ?? get('event.name');
    const scope = scopeOfObject(get('role'), get('type'), eventName) ?? st.scope;
    return { scope, sessionId, key: st.key, wrapper: st.wrapper };
  }
}

/**
 * Calls `visit` for every scanned string of `root` and returns the record with the replacements applied (the same
 * object when nothing was replaced; the input is never modified). Throws NestingTooDeepError past MAX_DEPTH levels.
 */
export function walkStrings(root: unknown, visit: LeafVisitor): unknown {
  return new Walker(visit).walk(root, { scope: 'metadata', sessionId: null, key: undefined, wrapper: false });
}

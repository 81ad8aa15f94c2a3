// Tolerant readers for untrusted JSON values: a field of the wrong type becomes null, never an exception.

export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function num(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

/** The first of `keys` present (not null/undefined) on `o`. */
export function pick(o: Json | null, ...keys: string[]): unknown {
  if (!o) return undefined;
  for (const key of keys) {
    if (o[key] !== undefined && o[key] !== null) return o[key];
  }
  return undefined;
}

/** Follows a dotted path ("usage.input_tokens") through nested objects. */
export function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    const next = obj(cur);
    if (!next) return undefined;
    cur = next[part];
  }
  return cur;
}

/** The first dotted path of `paths` that holds a value. */
export function pickPath(o: unknown, ...paths: string[]): unknown {
  for (const p of paths) {
    const v = at(o, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** Normalizes a timestamp (ISO string, or epoch seconds / milliseconds / nanoseconds) to ISO 8601 UTC, or null. */
export function normalizeTimestamp(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const ms = value < 1e11 ? value * 1000 : value < 1e14 ? value : value / 1e6;
    const d = new Date(ms);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  if (typeof value === 'string' && value.trim() !== '') {
    if (/^\d+$/.test(value.trim())) return normalizeTimestamp(Number(value));
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return null;
}

/** The ISO 8601 time `ms` milliseconds after `iso`, or null when that is no valid date (a hostile latency of 1e20). */
export function addMs(iso: string, ms: number): string | null {
  const d = new Date(Date.parse(iso) + ms);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Text of a message content that may be a string, an array of parts, or {text}/{content}. */
export function contentText(content: unknown): string | null {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content
      .map((p) => (typeof p === 'string' ? p : str(pick(obj(p), 'text', 'content'))))
      .filter((p): p is string => p !== null);
    return parts.length ? parts.join('\n') : null;
  }
  const o = obj(content);
  if (o) return str(pick(o, 'text', 'content'));
  return null;
}

export const PREVIEW_TEXT_CHARS = 400;

export function clip(text: string | null, max = PREVIEW_TEXT_CHARS): string | null {
  if (text === null) return null;
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/**
 * JSON.stringify for display that never throws: a hostile value nested too deeply for it (a RangeError) gives a
 * short placeholder instead.
 */
export function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch (err) {
    return `[value not shown: ${err instanceof Error ? err.message : String(err)}]`;
  }
}

/** Sets an own property, also for the key `__proto__` (as JSON.parse does), so a key read from a log never swaps a prototype. */
export function setOwn(target: Json, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function strArray(value: unknown): string[] {
  return arr(value).map(str).filter((s): s is string => s !== null);
}

// The filter every view applies (time range, user, session, model, environment, status, kind, free text), as a
// parameterized SQL condition over the events table. Never interpolates a value into SQL.
import type { SqlValue } from '../../shared/protocol';

export interface EventFilter {
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  userId?: string;
  sessionId?: string;
  /** Matches the requested or the responded model. */
  model?: string;
  environment?: string;
  /** 'ok', 'error', 'blocked', or 'flagged' (security events and negative feedback). */
  status?: string;
  kind?: string;
  /** Case-insensitive substring of the preview, type, session, user or model. */
  text?: string;
  /** The events of one prompt template (SHA-256 of the system instructions), from a CodeLens. */
  promptHash?: string;
  /** The events logged from one code location, from a CodeLens. */
  codeFile?: string;
  codeLine?: string;
  /** A selection saved from a query or JSONPath result (the name of a temporary table of rowids: sel_N). */
  selection?: string;
}

export const FILTER_KEYS: (keyof EventFilter)[] = ['from', 'to', 'userId', 'sessionId', 'model', 'environment', 'status', 'kind', 'text', 'promptHash', 'codeFile', 'codeLine', 'selection'];

/** Drops empty values and anything that is not a known key, so a filter from a webview or from state is safe. */
export function cleanFilter(raw: unknown): EventFilter {
  const out: EventFilter = {};
  if (raw === null || typeof raw !== 'object') return out;
  for (const key of FILTER_KEYS) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim().slice(0, 500);
  }
  return out;
}

export function isEmptyFilter(f: EventFilter): boolean {
  return Object.keys(cleanFilter(f)).length === 0;
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `WHERE`-ready condition (or '1') and its parameters, for the events table under `alias`. */
export function filterSql(f: EventFilter, alias = 'events'): { where: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  const a = alias;
  if (f.from) {
    parts.push(`${a}.ts >= ?`);
    params.push(f.from);
  }
  if (f.to) {
    parts.push(`${a}.ts <= ?`);
    params.push(f.to);
  }
  if (f.userId) {
    parts.push(`${a}.user_id = ?`);
    params.push(f.userId);
  }
  if (f.sessionId) {
    parts.push(`${a}.session_id = ?`);
    params.push(f.sessionId);
  }
  if (f.model) {
    parts.push(`(${a}.request_model = ? OR ${a}.response_model = ?)`);
    params.push(f.model, f.model);
  }
  if (f.environment) {
    parts.push(`${a}.environment = ?`);
    params.push(f.environment);
  }
  if (f.status === 'flagged') {
    parts.push(`(${a}.kind = 'security' OR ${a}.feedback_rating < 0)`);
  } else if (f.status) {
    parts.push(`${a}.status = ?`);
    params.push(f.status);
  }
  if (f.kind) {
    parts.push(`${a}.kind = ?`);
    params.push(f.kind);
  }
  if (f.promptHash) {
    parts.push(`${a}.prompt_hash = ?`);
    params.push(f.promptHash);
  }
  if (f.codeFile) {
    parts.push(`${a}.code_file = ?`);
    params.push(f.codeFile);
  }
  if (f.codeLine && /^\d+$/.test(f.codeLine)) {
    parts.push(`${a}.code_line = ?`);
    params.push(Number(f.codeLine));
  }
  if (f.selection && /^sel_\d+$/.test(f.selection)) {
    parts.push(`${a}.rowid IN (SELECT rowid FROM temp.${f.selection})`);
  }
  if (f.text) {
    const cols = ['preview', 'type', 'session_id', 'user_id', 'request_model', 'response_model', 'error_message'];
    parts.push(`(${cols.map((c) => `lower(coalesce(${a}.${c}, '')) LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    for (let i = 0; i < cols.length; i++) params.push(likePattern(f.text));
  }
  return { where: parts.length ? parts.join(' AND ') : '1', params };
}

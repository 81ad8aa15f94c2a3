// The system events of a load, for an auditor: configuration changes (system prompt, guardrails, access settings)
// with their before/after text read back from the export (for a diff editor), document uploads and deletions with
// who and when, and access and security events. Only configuration changes are read back; the rest is in the store.
import type { SqlValue } from '../../shared/protocol';
import type { SourceFile } from '../store/readBack';
import { forEachEventContent, LOCATION_COLUMNS, locationFromRow, queryAll, sourceFilesOf, type ContentPassOptions, type SqlTarget } from './storeAccess';

export type ConfigCategory = 'system-prompt' | 'guardrails' | 'access' | 'model' | 'other';

export interface SystemEventBase {
  rowid: number;
  fileIndex: number;
  line: number;
  ts: string | null;
  /** The source's action, e.g. config_change, document_upload, login, injection_detected. */
  action: string | null;
  /** Who did it (actor, else the user). */
  actor: string | null;
}

export interface ConfigChange extends SystemEventBase {
  /** The setting changed, e.g. system_prompt. */
  target: string | null;
  category: ConfigCategory;
  /** The values before and after as text (JSON, indented, for structured values); null when not logged. */
  before: string | null;
  after: string | null;
  detail: string | null;
}

export interface DocumentEvent extends SystemEventBase {
  /** upload, delete, update, … (the action without its `document_` prefix). */
  operation: string;
  document: string | null;
}

export interface AccessOrSecurityEvent extends SystemEventBase {
  kind: 'access' | 'security';
  userId: string | null;
  sessionId: string | null;
  status: string | null;
  /** The logged detail or summary (the event's preview). */
  detail: string | null;
  tags: string[];
}

export interface SystemEvents {
  configChanges: ConfigChange[];
  documents: DocumentEvent[];
  access: AccessOrSecurityEvent[];
  security: AccessOrSecurityEvent[];
}

const DOCUMENT_ACTION = /document|upload|file|ingest|index/i;

export function configCategory(target: string | null, action: string | null): ConfigCategory {
  const t = `${target ?? ''} ${action ?? ''}`;
  if (/prompt|instruction/i.test(t)) return 'system-prompt';
  if (/guardrail|safety|moderation|filter|block|policy|content_rule/i.test(t)) return 'guardrails';
  if (/access|permission|role|acl|sso|auth|scope|allow|deny|user|group|share/i.test(t)) return 'access';
  if (/model|temperature|max_tokens|top_p|provider/i.test(t)) return 'model';
  return 'other';
}

function asText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v, null, 2);
  } catch {
    return String(v);
  }
}

function base(r: SqlValue[]): SystemEventBase {
  return { rowid: r[0] as number, fileIndex: r[1] as number, line: r[2] as number, ts: r[6] as string | null, action: r[7] as string | null, actor: (r[8] ?? r[9]) as string | null };
}

const COLUMNS = `${LOCATION_COLUMNS}, ts, action, actor, user_id, target, session_id, status, preview, tags, kind`;

/** Lists the system, access and security events in time order; reads configuration changes back for before/after. */
export async function listSystemEvents(
  store: SqlTarget,
  files: readonly (SourceFile & { bytes?: number })[] | null = null,
  options: Pick<ContentPassOptions, 'signal' | 'mappings'> & { readContent?: boolean } = {},
): Promise<SystemEvents> {
  const rows = queryAll(store, `SELECT ${COLUMNS} FROM events WHERE kind IN ('system', 'access', 'security') ORDER BY coalesce(ts, '9999'), rowid`);
  const out: SystemEvents = { configChanges: [], documents: [], access: [], security: [] };
  const configRows: SqlValue[][] = [];
  for (const r of rows) {
    const kind = r[15] as string;
    const action = r[7] as string | null;
    if (kind === 'system') {
      if (action && DOCUMENT_ACTION.test(action)) {
        out.documents.push({ ...base(r), operation: action.replace(/^document[_.-]?/i, '') || action, document: r[10] as string | null });
      } else {
        configRows.push(r);
      }
    } else {
      let tags: string[] = [];
      try {
        tags = r[14] ? (JSON.parse(r[14] as string) as string[]) : [];
      } catch {
        tags = [];
      }
      const e: AccessOrSecurityEvent = { ...base(r), kind: kind as 'access' | 'security', userId: r[9] as string | null, sessionId: r[11] as string | null, status: r[12] as string | null, detail: r[13] as string | null, tags };
      (kind === 'access' ? out.access : out.security).push(e);
    }
  }
  const byRowid = new Map<number, ConfigChange>();
  for (const r of configRows) {
    const change: ConfigChange = { ...base(r), target: r[10] as string | null, category: configCategory(r[10] as string | null, r[7] as string | null), before: null, after: null, detail: null };
    out.configChanges.push(change);
    byRowid.set(change.rowid, change);
  }
  if ((options.readContent ?? true) && configRows.length) {
    await forEachEventContent(
      files ?? sourceFilesOf(store),
      configRows.map((r) => locationFromRow(r)),
      (l, ev) => {
        const c = byRowid.get(l.rowid)!;
        c.before = asText(ev.system?.before);
        c.after = asText(ev.system?.after);
        c.detail = ev.system?.detail ?? null;
      },
      { signal: options.signal, mappings: options.mappings },
    );
  }
  return out;
}

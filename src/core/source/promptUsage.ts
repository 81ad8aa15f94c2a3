// Back from the code: the figures of the logged calls attributed to each template location, for the CodeLens
// "AI Audit: 1,240 calls · 2.1M tokens · $18.40 · p95 2.3 s · 3 flagged" above it, and the last few prompts
// (redacted) for its hover. See docs/source-locations.md.

export interface TemplateLocation {
  /** Workspace-relative path (an entry of the workspace file list). */
  file: string;
  folder?: number;
  /** 1-based. */
  line: number;
  column?: number;
}

export interface MatchedCall {
  location: TemplateLocation;
  rowid: number;
  inputTokens: number | null;
  outputTokens: number | null;
  /** Logged or priced cost; null when unpriced. */
  costUsd: number | null;
  latencyMs: number | null;
  flagged: boolean;
}

/** A call's figures without its location (for aggregateGroups). */
export type CallFigures = Omit<MatchedCall, 'location'>;

export interface TemplateUsage {
  key: string;
  location: TemplateLocation;
  calls: number;
  /** Each call once, ascending. */
  rowids: number[];
  inputTokens: number;
  outputTokens: number;
  tokens: number;
  /** Sum over the calls with a cost. */
  costUsd: number;
  pricedCalls: number;
  unpricedCalls: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  flagged: number;
}

/** One key per location: folder, file, line (and column when given). */
export function locationKey(l: TemplateLocation): string {
  return `${l.folder ?? 0}\0${l.file}\0${l.line}${l.column !== undefined ? `\0${l.column}` : ''}`;
}

/** Nearest-rank percentile of ascending values (as the charts compute it). */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The figures per template location, in file then line order. A call listed twice for a location counts once. */
export function aggregateUsage(calls: Iterable<MatchedCall>): TemplateUsage[] {
  const groups = new Map<string, { location: TemplateLocation; calls: Map<number, MatchedCall> }>();
  for (const c of calls) {
    const key = locationKey(c.location);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { location: c.location, calls: new Map() }));
    g.calls.set(c.rowid, c);
  }
  const out: TemplateUsage[] = [];
  for (const [key, g] of groups) {
    const list = [...g.calls.values()];
    const num = (v: number | null) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    const inputTokens = list.reduce((n, c) => n + num(c.inputTokens), 0);
    const outputTokens = list.reduce((n, c) => n + num(c.outputTokens), 0);
    const priced = list.filter((c) => typeof c.costUsd === 'number' && Number.isFinite(c.costUsd));
    const latencies = list
      .map((c) => c.latencyMs)
      .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
      .sort((a, b) => a - b);
    out.push({
      key,
      location: g.location,
      calls: list.length,
      rowids: list.map((c) => c.rowid).sort((a, b) => a - b),
      inputTokens,
      outputTokens,
      tokens: inputTokens + outputTokens,
      costUsd: priced.reduce((n, c) => n + (c.costUsd as number), 0),
      pricedCalls: priced.length,
      unpricedCalls: list.length - priced.length,
      latencyP50Ms: percentile(latencies, 50),
      latencyP95Ms: percentile(latencies, 95),
      flagged: list.filter((c) => c.flagged).length,
    });
  }
  return out.sort(
    (a, b) =>
      (a.location.folder ?? 0) - (b.location.folder ?? 0) ||
      (a.location.file < b.location.file ? -1 : a.location.file > b.location.file ? 1 : 0) ||
      a.location.line - b.location.line ||
      (a.location.column ?? 0) - (b.location.column ?? 0),
  );
}

/** The same, for calls already grouped by template location. */
export function aggregateGroups(groups: Iterable<{ location: TemplateLocation; calls: Iterable<CallFigures> }>): TemplateUsage[] {
  const flat: MatchedCall[] = [];
  for (const g of groups) for (const c of g.calls) flat.push({ ...c, location: g.location });
  return aggregateUsage(flat);
}

const intFormat = new Intl.NumberFormat('en-US');

/** 950, 45.2K, 312K, 2.1M, 1.2B. */
export function formatCompact(n: number): string {
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(n) >= size * 0.9995) {
      const v = n / size;
      const text = Math.abs(v) >= 99.95 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
      return text + unit;
    }
  }
  return String(Math.round(n));
}

/** $18.40, $1,234.50; under a cent three significant digits ($0.00412), so a cheap call never reads $0.00. */
export function formatUsd(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toLocaleString('en-US', { maximumSignificantDigits: 3 })}`;
  return `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** 850 ms, 2.3 s, 125 s. */
export function formatLatency(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return s >= 99.95 ? `${Math.round(s)} s` : `${s.toFixed(1)} s`;
}

/**
 * "AI Audit: 1,240 calls · 2.1M tokens · $18.40 · p95 2.3 s · 3 flagged". The cost is left out when no call has
 * one, the p95 when no call has a latency, the flagged count when it is 0.
 */
export function formatUsageLabel(u: TemplateUsage): string {
  const parts = [`${intFormat.format(u.calls)} ${u.calls === 1 ? 'call' : 'calls'}`, `${formatCompact(u.tokens)} tokens`];
  if (u.pricedCalls > 0) parts.push(formatUsd(u.costUsd));
  if (u.latencyP95Ms !== null) parts.push(`p95 ${formatLatency(u.latencyP95Ms)}`);
  if (u.flagged > 0) parts.push(`${intFormat.format(u.flagged)} flagged`);
  return `AI Audit: ${parts.join(' · ')}`;
}

// ------------------------------------------------------------------------------------------------ hover

export type RedactFn = (text: string) => string | Promise<string>;

export interface LoggedPrompt {
  rowid: number;
  ts: string | null;
  text: string;
}

// Matches start only where a run of address characters starts, so a long run without '@' is read once.
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]{1,64}@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const DIGIT_RUN = /\+?\d[\d\s().\/-]*\d/g;

/** The default until the redaction engine is plugged in: e-mail addresses and runs of 4+ digits are masked. */
export function defaultRedact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(DIGIT_RUN, (run) => ((run.match(/\d/g)?.length ?? 0) >= 4 ? '[number]' : run));
}

export interface RecentPromptsOptions {
  /** How many (default 3). */
  limit?: number;
  /** Each is cut to this many characters after redaction (default 400). */
  maxChars?: number;
  redact?: RedactFn;
}

/** The latest `limit` prompts (by time, then rowid), redacted and cut, latest first. */
export async function recentPrompts(prompts: readonly LoggedPrompt[], options: RecentPromptsOptions = {}): Promise<LoggedPrompt[]> {
  const limit = options.limit ?? 3;
  const max = options.maxChars ?? 400;
  const redact = options.redact ?? defaultRedact;
  const latest = [...prompts].sort((a, b) => (b.ts ?? '').localeCompare(a.ts ?? '') || b.rowid - a.rowid).slice(0, limit);
  const out: LoggedPrompt[] = [];
  for (const p of latest) {
    // Redact before cutting, so a cut never leaves half a secret unmasked; only a margin past the cut is redacted,
    // so a huge prompt costs no more than a short one.
    const text = await redact(p.text.length > max + 1000 ? p.text.slice(0, max + 1000) : p.text);
    out.push({ rowid: p.rowid, ts: p.ts, text: text.length > max ? text.slice(0, max - 1) + '…' : text });
  }
  return out;
}

// The rules that need the content the store does not keep: prompt injection in user input, indirect injection in
// retrieved chunks and tool results, system-prompt leaks and secrets in responses. Only candidate events (those
// with messages, chunks, tool calls or system instructions, and system-prompt configuration changes) are read back,
// each file in one pass (see forEachEventContent); nothing but a few hashes and the known system prompts is kept.
import { createHash } from 'node:crypto';
import type { SqlValue } from '../../shared/protocol';
import { forEachEventContent, LOCATION_COLUMNS, locationFromRow, queryAll, type EventLocation, type SqlTarget } from '../analysis/storeAccess';
import type { NormalizedEvent } from '../model/normalized';
import type { SourceFile } from '../store/readBack';
import type { Draft } from './build';
import { scanInjection, scanSecrets, type PatternHit } from './patterns';
import { DEFAULTS, SEVERITIES, severityRank, type FindingsOptions, type RuleId, type Severity } from './types';

type Emit = (d: Draft) => void;

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

function maxSeverity(list: { severity: Severity }[]): Severity {
  return list.reduce<Severity>((m, h) => (severityRank(h.severity) > severityRank(m) ? h.severity : m), 'info');
}

function bump(s: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, severityRank(s) + 1)];
}

function hitText(hits: PatternHit[]): string {
  return hits.map((h) => `${h.id} ("${h.excerpt}")`).join('; ');
}

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Lower-cased words of a text (letters, digits, apostrophes), for verbatim comparison that ignores layout. */
export function words(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter((w) => w !== '');
}

/** A system prompt prepared for verbatim search: its word n-grams. */
interface KnownPrompt {
  hash: string;
  words: string[];
  grams: Set<string>;
  source: string;
}

/** The longest run of ≥ n consecutive words of the prompt found in the response, or null. */
export function longestVerbatim(responseWords: string[], prompt: { grams: Set<string> }, n: number): { start: number; length: number } | null {
  let best: { start: number; length: number } | null = null;
  let i = 0;
  while (i + n <= responseWords.length) {
    if (!prompt.grams.has(responseWords.slice(i, i + n).join(' '))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j + n <= responseWords.length && prompt.grams.has(responseWords.slice(j, j + n).join(' '))) j++;
    const length = j - i + n - 1;
    if (!best || length > best.length) best = { start: i, length };
    i = j;
  }
  return best;
}

const MAX_KNOWN_PROMPTS = 200;
const USER_ROLES = new Set(['user', 'human']);
const TOOL_ROLES = new Set(['tool', 'function', 'ipython']);

export async function runContentRules(
  target: SqlTarget,
  files: readonly (SourceFile & { bytes?: number })[],
  rules: ReadonlySet<RuleId>,
  options: FindingsOptions,
  emit: Emit,
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const want = (r: RuleId) => rules.has(r);
  const minWords = options.leakMinWords ?? DEFAULTS.leakMinWords;
  const maxEvents = options.maxEventsPerFinding ?? DEFAULTS.maxEventsPerFinding;
  const rows = queryAll(
    target,
    `SELECT ${LOCATION_COLUMNS}, session_id, ts, kind, action, target FROM events
     WHERE message_count > 0 OR chunk_count > 0 OR tool_call_count > 0 OR prompt_hash IS NOT NULL OR (kind = 'system' AND action = 'config_change')
     ORDER BY file_index, byte_offset, idx`,
  );
  const meta = new Map<number, SqlValue[]>(rows.map((r) => [r[0] as number, r]));
  const locations = rows.map((r) => locationFromRow(r));

  const known = new Map<string, KnownPrompt>();
  const addPrompt = (prompt: string, source: string) => {
    const w = words(prompt);
    if (w.length < minWords) return;
    const hash = sha(prompt);
    if (known.has(hash) || known.size >= MAX_KNOWN_PROMPTS) return;
    const grams = new Set<string>();
    for (let i = 0; i + minWords <= w.length; i++) grams.add(w.slice(i, i + minWords).join(' '));
    known.set(hash, { hash, words: w, grams, source });
  };

  // System prompts set through configuration changes (before and after), read first: few events.
  if (want('system-prompt-leak')) {
    const changes = locations.filter((l) => meta.get(l.rowid)![9] === 'config_change' && /prompt|instruction/i.test(String(meta.get(l.rowid)![10] ?? '')));
    await forEachEventContent(
      files,
      changes,
      (l, ev) => {
        for (const v of [ev.system?.before, ev.system?.after]) if (typeof v === 'string') addPrompt(v, `configuration change (line ${l.line})`);
      },
      { signal: options.signal, mappings: options.mappings },
    );
  }

  const seenUserText = new Map<string, Draft>();
  const seenIndirect = new Map<string, Draft>();
  const lastIndirectRowid = new Map<string, number>();
  const ev0 = (l: EventLocation) => ({ rowid: l.rowid, fileIndex: l.fileIndex, line: l.line });

  const onEvent = (l: EventLocation, ev: NormalizedEvent) => {
    const m = meta.get(l.rowid)!;
    const session = (m[6] as string | null) ?? ev.sessionId;
    const ts = (m[7] as string | null) ?? ev.ts;
    if (ev.content.system) addPrompt(ev.content.system, `system instructions (line ${l.line})`);

    if (want('prompt-injection')) {
      for (const msg of ev.content.input) {
        if (!USER_ROLES.has(msg.role.toLowerCase()) || !msg.content) continue;
        // Conversation history repeats earlier turns in every later call: report a text once per session.
        const key = sha(`${session ?? ''}\n${msg.content}`);
        const seen = seenUserText.get(key);
        if (seen) {
          seen.details!.repeats = (seen.details!.repeats as number) + 1;
          continue;
        }
        const hits = scanInjection(msg.content);
        if (hits.length === 0) continue; // only texts with hits are remembered (memory stays small)
        const draft: Draft = {
          rule: 'prompt-injection',
          severity: maxSeverity(hits),
          title: `Prompt injection attempt in user input${session ? ` (session ${session})` : ''}`,
          message: `User input at line ${l.line} matches ${hitText(hits)}.`,
          events: [ev0(l)],
          ts,
          key: key,
          details: { patterns: hits.map((h) => h.id), categories: [...new Set(hits.map((h) => h.category))], sessionId: session, userId: ev.userId, repeats: 0 },
        };
        seenUserText.set(key, draft);
        emit(draft);
      }
    }

    if (want('indirect-injection')) {
      const sources: { what: string; text: string }[] = [];
      for (const c of ev.chunks) if (c.text) sources.push({ what: `retrieved chunk ${c.chunkId ?? c.documentId ?? ''}`.trim(), text: c.text });
      for (const t of ev.content.toolCalls) if (t.result !== undefined) sources.push({ what: `result of tool ${t.name}`, text: text(t.result) });
      for (const msg of ev.content.input) if (TOOL_ROLES.has(msg.role.toLowerCase()) && msg.content) sources.push({ what: `${msg.role} message${msg.name ? ` from ${msg.name}` : ''}`, text: msg.content });
      for (const s of sources) {
        const key = sha(s.text);
        const seen = seenIndirect.get(key);
        if (seen) {
          // The same document retrieved again: one finding, every event that received it.
          if (lastIndirectRowid.get(key) !== l.rowid) {
            lastIndirectRowid.set(key, l.rowid);
            seen.eventCount = (seen.eventCount ?? 1) + 1;
            if (seen.events.length < maxEvents) seen.events.push(ev0(l));
          }
          continue;
        }
        const hits = scanInjection(s.text);
        if (hits.length === 0) continue;
        lastIndirectRowid.set(key, l.rowid);
        const draft: Draft = {
          rule: 'indirect-injection',
          // Instructions inside data the user did not write are worse than a user's own attempt.
          severity: bump(maxSeverity(hits)),
          title: `Indirect prompt injection in a ${s.what.startsWith('retrieved') ? 'retrieved document' : 'tool result'}`,
          message: `The ${s.what} given to the model at line ${l.line} matches ${hitText(hits)}.`,
          events: [ev0(l)],
          eventCount: 1,
          ts,
          key,
          details: { source: s.what, patterns: hits.map((h) => h.id), categories: [...new Set(hits.map((h) => h.category))] },
        };
        seenIndirect.set(key, draft);
        emit(draft);
      }
    }

    const outputs = ev.content.output.map((o) => o.content).filter((t) => t);
    if (outputs.length === 0) return;

    if (want('system-prompt-leak')) {
      const responseWords = words(outputs.join('\n'));
      const own = ev.content.system ? known.get(sha(ev.content.system)) : undefined;
      const candidates = own ? [own, ...[...known.values()].filter((p) => p !== own)] : [...known.values()];
      let best: { prompt: KnownPrompt; start: number; length: number } | null = null;
      for (const p of candidates) {
        const hit = longestVerbatim(responseWords, p, minWords);
        if (hit && (!best || hit.length > best.length)) best = { prompt: p, ...hit };
      }
      if (best) {
        const excerpt = responseWords.slice(best.start, best.start + Math.min(best.length, 16)).join(' ');
        const share = best.length / best.prompt.words.length;
        emit({
          rule: 'system-prompt-leak',
          severity: 'high',
          title: 'System prompt leaked in a response',
          message: `The response at line ${l.line} repeats ${best.length} consecutive words (${Math.round(share * 100)} %) of the ${best.prompt.source}: "${excerpt}${best.length > 16 ? ' …' : ''}".`,
          events: [ev0(l)],
          ts,
          details: { matchedWords: best.length, promptWords: best.prompt.words.length, promptHash: best.prompt.hash, minWords, ownPrompt: best.prompt === own },
        });
      }
    }

    if (want('secret-in-response')) {
      const hits = scanSecrets(outputs.join('\n'));
      if (hits.length) {
        emit({
          rule: 'secret-in-response',
          severity: maxSeverity(hits),
          title: 'Secret in a response',
          message: `The response at line ${l.line} contains ${hits.map((h) => `${h.id} ${h.masked}`).join(', ')}.`,
          events: [ev0(l)],
          ts,
          details: { secrets: hits.map((h) => h.id) },
        });
      }
    }
  };

  await forEachEventContent(files, locations, onEvent, { signal: options.signal, mappings: options.mappings, onProgress });
}

// Finds the template in the workspace that produced a logged prompt (a system prompt or a user message) when the
// log carries no code location. The workspace's templates (templateExtract.ts) are indexed once; a query checks
// only the templates whose rarest fixed 8-character grams all occur in the logged text, then verifies that every
// fixed part of the template occurs in the logged text in order (holes match any text) and scores the match.
//
// Text is compared with whitespace runs collapsed to one space (indentation of a template literal or a triple-quoted
// string, dedent, CRLF and trailing newlines do not matter); case and everything else must be exact.
// See docs/source-locations.md.
import { extractTemplates, templateText, type PromptTemplate, type TemplateKind, type TemplateLanguage } from './templateExtract';

export interface PromptIndexFile {
  /** The file's name as the caller wants it back (a workspace-relative path). */
  path: string;
  text: string;
  /** The workspace folder it belongs to, passed through to the results. */
  folder?: number;
}

export interface PromptIndexOptions {
  /** Templates with fewer fixed characters (after whitespace collapsing) are not indexed. Default 16. */
  minFixedChars?: number;
  /** Files larger than this are skipped (minified bundles, data). Default 2 MiB. */
  maxFileChars?: number;
}

interface Indexed {
  template: PromptTemplate;
  folder: number | undefined;
  /** Fixed parts, whitespace-collapsed and trimmed, non-empty, in order. */
  parts: string[];
  leadingHole: boolean;
  trailingHole: boolean;
  fixedChars: number;
  keyCount: number;
}

export interface PromptIndex {
  readonly templates: readonly Indexed[];
  /** Gram hash → templates (index into `templates`) that chose it as a key. */
  readonly postings: ReadonlyMap<number, readonly number[]>;
  /** Templates without any gram (every fixed part shorter than a gram): checked for every query. */
  readonly unkeyed: readonly number[];
  readonly files: number;
  readonly skippedFiles: number;
}

export interface PromptMatch {
  file: string;
  folder?: number;
  line: number;
  column: number;
  endLine: number;
  language: TemplateLanguage;
  kind: TemplateKind;
  role?: string;
  /** The template: fixed text as written, holes as their placeholder (`${name}`, `{question}`, `{{ x }}`). */
  template: string;
  /** 0..1, see matchPrompt. */
  score: number;
  /** Fraction of the logged text covered by the template's fixed text. */
  coverage: number;
  /** The template explains the whole logged text (everything outside its fixed parts falls in its holes). */
  full: boolean;
  fixedChars: number;
}

export interface MatchOptions {
  /** Lowest score returned. Default 0.2. */
  threshold?: number;
  /** Most matches returned. Default 20. */
  limit?: number;
}

const Q = 8;
const KEYS_PER_TEMPLATE = 3;
const DF_BITS = 20;
/** Fixed characters at which a template stops counting as short. */
const STRONG_CHARS = 48;

/** Whitespace runs become one space; the ends are trimmed. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const BASE = 0x01000193;
const BASE_POW = (() => {
  let p = 1;
  for (let k = 1; k < Q; k++) p = Math.imul(p, BASE);
  return p;
})();

/**
 * The hashes of every Q-character gram of `s`, in order, into `out` (cleared first): a polynomial rolling hash
 * (one step per character) with a final mix so that the low bits, used for table buckets, are well spread.
 */
function gramsOf(s: string, out: number[]): number[] {
  out.length = 0;
  if (s.length < Q) return out;
  let h = 0;
  for (let i = 0; i < Q; i++) h = (Math.imul(h, BASE) + s.charCodeAt(i)) | 0;
  for (let i = Q; ; i++) {
    let x = h ^ (h >>> 16);
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    out.push(x >>> 0);
    if (i >= s.length) break;
    h = (Math.imul(h - Math.imul(s.charCodeAt(i - Q), BASE_POW), BASE) + s.charCodeAt(i)) | 0;
  }
  return out;
}

/** A flat copy of a string (sliced and concatenated strings make charCodeAt slow). */
function flat(s: string): string {
  return s.length < 64 ? s : (' ' + s).slice(1);
}

function partsOf(t: PromptTemplate): { parts: string[]; leadingHole: boolean; trailingHole: boolean } {
  const parts: string[] = [];
  let leadingHole = false;
  let trailingHole = false;
  for (const p of t.pieces) {
    if ('hole' in p) {
      if (parts.length === 0) leadingHole = true;
      trailingHole = true;
      continue;
    }
    const c = collapseWhitespace(p.text);
    if (!c) continue;
    parts.push(flat(c));
    trailingHole = false;
  }
  return { parts, leadingHole, trailingHole };
}

/** Extracts and indexes the templates of every file. */
export function buildPromptIndex(files: readonly PromptIndexFile[], options: PromptIndexOptions = {}): PromptIndex {
  const minFixed = options.minFixedChars ?? 16;
  const maxChars = options.maxFileChars ?? 2 * 1024 * 1024;
  const templates: Indexed[] = [];
  let skippedFiles = 0;
  for (const f of files) {
    if (f.text.length > maxChars) {
      skippedFiles++;
      continue;
    }
    let found: PromptTemplate[];
    try {
      found = extractTemplates(f.path, f.text);
    } catch {
      skippedFiles++;
      continue;
    }
    for (const t of found) {
      const { parts, leadingHole, trailingHole } = partsOf(t);
      const fixedChars = parts.reduce((n, p) => n + p.length, 0);
      if (fixedChars < minFixed) continue;
      // A code literal without a space between words is an identifier, a key, a path or a URL, not a prompt.
      if (t.language !== 'prompt-file' && !parts.some((p) => / /.test(p) && /[\p{L}]{2}/u.test(p))) continue;
      templates.push({ template: t, folder: f.folder, parts, leadingHole, trailingHole, fixedChars, keyCount: 0 });
    }
  }
  // Document frequency of grams over all templates, in fixed-size tables (a gram counts once per template, by the
  // template that last stamped its bucket). Collisions only make a gram look more common than it is: they change
  // which keys are chosen, never a result, since every candidate is verified.
  const mask = (1 << DF_BITS) - 1;
  const df = new Uint32Array(mask + 1);
  const stamp = new Uint32Array(mask + 1);
  const hashes: number[] = [];
  templates.forEach((t, id) => {
    for (const p of t.parts) {
      for (const h of gramsOf(p, hashes)) {
        const b = h & mask;
        if (stamp[b] !== id + 1) {
          stamp[b] = id + 1;
          df[b]++;
        }
      }
    }
  });
  // Each template's keys: its KEYS_PER_TEMPLATE rarest distinct grams (all of a template's grams must be in a text
  // it matches, so any choice is correct; rare ones make the query look at few templates).
  const postings = new Map<number, number[]>();
  const unkeyed: number[] = [];
  const keys: number[] = [];
  const keyDf: number[] = [];
  templates.forEach((t, id) => {
    keys.length = 0;
    keyDf.length = 0;
    for (const p of t.parts) {
      for (const h of gramsOf(p, hashes)) {
        const d = df[h & mask];
        if (keys.length === KEYS_PER_TEMPLATE && d >= keyDf[KEYS_PER_TEMPLATE - 1]) continue;
        if (keys.includes(h)) continue;
        // insert in df order, drop the most common when full
        let k = keys.length;
        while (k > 0 && keyDf[k - 1] > d) k--;
        keys.splice(k, 0, h);
        keyDf.splice(k, 0, d);
        if (keys.length > KEYS_PER_TEMPLATE) {
          keys.pop();
          keyDf.pop();
        }
      }
    }
    if (keys.length === 0) {
      unkeyed.push(id);
      return;
    }
    t.keyCount = keys.length;
    for (const k of keys) {
      const list = postings.get(k);
      if (list) list.push(id);
      else postings.set(k, [id]);
    }
  });
  return { templates, postings, unkeyed, files: files.length - skippedFiles, skippedFiles };
}

/**
 * Where the parts occur in order in `text`: null when they do not; `full` when they can be placed so that text before
 * the first part, after the last part (and between parts) is covered by the template's holes.
 */
export function matchParts(text: string, parts: readonly string[], leadingHole: boolean, trailingHole: boolean): { full: boolean } | null {
  if (parts.length === 0) return null;
  let pos = 0;
  let first = -1;
  let beforeLast = 0;
  for (let k = 0; k < parts.length; k++) {
    const at = text.indexOf(parts[k], pos);
    if (at < 0) return null;
    if (k === 0) first = at;
    if (k === parts.length - 1) beforeLast = pos;
    pos = at + parts[k].length;
  }
  // Leftmost placement gives the earliest start and the earliest end of every part, so the anchored checks are
  // exact: the first part can start at 0 iff it does in the leftmost placement; the last part can end at the end
  // iff the text ends with it at or after where the parts before it end.
  const last = parts[parts.length - 1];
  const startOk = leadingHole || first === 0;
  const endOk = trailingHole || (text.endsWith(last) && text.length - last.length >= beforeLast);
  return { full: startOk && endOk };
}

/**
 * Score of a template whose fixed text (F characters) matched a logged text of L characters (both whitespace-
 * collapsed): coverage c = F / L. A full match scores max(c, F / (F + 40)) (a template with large holes, such as
 * "Summarize:\n\n${document}", still scores by how much fixed text it has); a template found inside a longer text
 * scores 0.8 c. Short templates are penalised: × min(1, √(F / 48)).
 */
export function scoreMatch(fixedChars: number, loggedChars: number, full: boolean): number {
  const c = Math.min(1, fixedChars / Math.max(1, loggedChars));
  const base = full ? Math.max(c, fixedChars / (fixedChars + 40)) : 0.8 * c;
  return base * Math.min(1, Math.sqrt(fixedChars / STRONG_CHARS));
}

/**
 * The templates that may have produced `loggedText`, best first: every fixed part of the template occurs in the
 * logged text in order (holes match any text), scored by scoreMatch, at or above the threshold.
 */
export function matchPrompt(index: PromptIndex, loggedText: string, options: MatchOptions = {}): PromptMatch[] {
  const threshold = options.threshold ?? 0.2;
  const limit = options.limit ?? 20;
  const text = collapseWhitespace(loggedText ?? '');
  if (text.length === 0) return [];
  // Which templates have all their key grams in the text.
  const found = new Map<number, number>();
  const seen = new Set<number>();
  for (const h of gramsOf(text, [])) {
    if (seen.has(h)) continue;
    seen.add(h);
    const list = index.postings.get(h);
    if (list) for (const id of list) found.set(id, (found.get(id) ?? 0) + 1);
  }
  const candidates: number[] = [...index.unkeyed];
  for (const [id, n] of found) if (n >= index.templates[id].keyCount) candidates.push(id);
  const out: PromptMatch[] = [];
  for (const id of candidates) {
    const t = index.templates[id];
    if (t.fixedChars > text.length) continue;
    const m = matchParts(text, t.parts, t.leadingHole, t.trailingHole);
    if (!m) continue;
    const score = scoreMatch(t.fixedChars, text.length, m.full);
    if (score < threshold) continue;
    const tpl = t.template;
    out.push({
      file: tpl.file,
      ...(t.folder !== undefined ? { folder: t.folder } : {}),
      line: tpl.line,
      column: tpl.column,
      endLine: tpl.endLine,
      language: tpl.language,
      kind: tpl.kind,
      ...(tpl.role ? { role: tpl.role } : {}),
      template: templateText(tpl),
      score,
      coverage: Math.min(1, t.fixedChars / text.length),
      full: m.full,
      fixedChars: t.fixedChars,
    });
  }
  out.sort(
    (a, b) =>
      b.score - a.score ||
      Number(b.full) - Number(a.full) ||
      b.fixedChars - a.fixedChars ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column,
  );
  return out.slice(0, limit);
}

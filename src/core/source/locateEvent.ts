// From a logged call to the code that made it. In order, the first that finds a workspace file wins:
//   1. the code attributes logged with the call (code.file.path / code.filepath, code.line.number / code.lineno,
//      code.function.name; the project format's `code`), the path mapped to the workspace;
//   2. the stack trace logged with it: the innermost application frame that maps to a workspace file;
//   3. the prompt: the template whose fixed text best matches the system prompt, else a user message.
// Every candidate is an entry of the caller's workspace file list (see pathMapping.ts). See docs/source-locations.md.
import type { NormalizedEvent } from '../model/normalized';
import { isWorkspaceEntry, joinRoot, mapPath, relativeSegments, type PathIndex } from './pathMapping';
import { matchPrompt, type PromptIndex } from './promptMatch';
import { isDependencyPath, isInDependencyFolder, parseStackTrace } from './stackTrace';

export type LocateMethod = 'attribute' | 'stacktrace' | 'template';

export interface SourceCandidate {
  /** The workspace file: an entry of its folder's file list, exactly as given. */
  file: string;
  folder: number;
  absolutePath: string;
  /** 1-based; null when the log gave a file but no line. */
  line: number | null;
  /** 1-based. */
  column?: number;
  function?: string;
  method: LocateMethod;
  /** 0..1: the path match (attribute, stack trace) or the template match score. */
  score: number;
  /** attribute and stacktrace: the path as logged. */
  loggedPath?: string;
  /** stacktrace: the frame as logged. */
  frame?: string;
  /** template: the template text, and which logged text it matched. */
  template?: string;
  promptSource?: 'system' | 'user';
  /** template: the template covers the whole logged text. */
  full?: boolean;
}

export interface LocateStep {
  method: LocateMethod;
  /** What was found or why nothing was. */
  outcome: string;
  candidates: number;
}

export interface LocateResult {
  /** Best first; the candidates of the first method that found any (of every method with `exhaustive`). */
  candidates: SourceCandidate[];
  /** Each method tried, in order. */
  steps: LocateStep[];
}

export interface LocateWorkspace {
  paths: PathIndex;
  /** Templates of the workspace's files, indexed with the same paths and folder indexes as `paths`. */
  prompts?: PromptIndex | null;
}

export interface LocateOptions {
  /** Run every method and return all their candidates (in method order) instead of stopping at the first. */
  exhaustive?: boolean;
  /** Lowest template score (default 0.2). */
  templateThreshold?: number;
  /** Most template candidates per logged text (default 10). */
  maxTemplates?: number;
}

export type LocatableEvent = Pick<NormalizedEvent, 'code' | 'content'>;

/** "bot.ts:42:7" → the path, 42, 7. */
export function splitPosition(logged: string): { path: string; line: number | null; column: number | null } {
  const m = /^(.*?):(\d+)(?::(\d+))?$/.exec(logged.trim());
  if (!m || !m[1] || /^[a-zA-Z]$/.test(m[1])) return { path: logged, line: null, column: null };
  return { path: m[1], line: Number(m[2]), column: m[3] ? Number(m[3]) : null };
}

/** Workspace entries inside node_modules, site-packages, vendor/ … are never candidates. */
const NOT_DEPENDENCY = { exclude: isInDependencyFolder };

function positiveInt(n: number | null | undefined): number | null {
  return typeof n === 'number' && Number.isFinite(n) && n >= 1 ? Math.floor(n) : null;
}

function byAttributes(event: LocatableEvent, ws: LocateWorkspace): { candidates: SourceCandidate[]; outcome: string } {
  const code = event.code;
  if (!code || !code.file) {
    return { candidates: [], outcome: code?.function ? `a function (${code.function}) but no file was logged` : 'no code attributes logged' };
  }
  const pos = splitPosition(code.file);
  // Instrumentation sometimes records its own location (the SDK's file): that is not the application's code.
  if (isDependencyPath(pos.path)) return { candidates: [], outcome: `logged file ${code.file} is inside a dependency` };
  const mapped = mapPath(ws.paths, pos.path, NOT_DEPENDENCY);
  if (mapped.length === 0) return { candidates: [], outcome: `logged file ${code.file} is not in the workspace` };
  const line = positiveInt(code.line) ?? pos.line;
  return {
    candidates: mapped.map((m) => ({
      file: m.path,
      folder: m.folder,
      absolutePath: m.absolutePath,
      line,
      ...(pos.column ? { column: pos.column } : {}),
      ...(code.function ? { function: code.function } : {}),
      method: 'attribute' as const,
      score: m.score,
      loggedPath: code.file!,
    })),
    outcome: mapped.length === 1 ? `logged file ${code.file} mapped` : `logged file ${code.file} matches ${mapped.length} workspace files equally`,
  };
}

function byStackTrace(event: LocatableEvent, ws: LocateWorkspace): { candidates: SourceCandidate[]; outcome: string } {
  const stack = event.code?.stacktrace;
  if (!stack) return { candidates: [], outcome: 'no stack trace logged' };
  const parsed = parseStackTrace(stack);
  if (parsed.frames.length === 0) return { candidates: [], outcome: 'no frame recognised in the stack trace' };
  const app = parsed.frames.filter((f) => !f.dependency && f.file !== null);
  if (app.length === 0) return { candidates: [], outcome: `${parsed.frames.length} frames, all in dependencies` };
  for (const f of app) {
    const mapped = mapPath(ws.paths, f.file!, NOT_DEPENDENCY);
    if (mapped.length === 0) continue;
    return {
      candidates: mapped.map((m) => ({
        file: m.path,
        folder: m.folder,
        absolutePath: m.absolutePath,
        line: positiveInt(f.line),
        ...(positiveInt(f.column) ? { column: positiveInt(f.column)! } : {}),
        ...(f.function ? { function: f.function } : {}),
        method: 'stacktrace' as const,
        score: m.score,
        loggedPath: f.file!,
        frame: f.raw,
      })),
      outcome: `${parsed.language} frame ${f.file}${f.line ? `:${f.line}` : ''} mapped${f === app[0] ? '' : ` (the ${app.indexOf(f)} application frame(s) before it are not in the workspace)`}`,
    };
  }
  return { candidates: [], outcome: `none of the ${app.length} application frame(s) is in the workspace` };
}

/** The system instructions of a call: the system field, else its system/developer messages. */
export function systemText(event: LocatableEvent): string | null {
  if (event.content.system && event.content.system.trim()) return event.content.system;
  const sys = event.content.input.filter((m) => m.role === 'system' || m.role === 'developer').map((m) => m.content);
  return sys.length ? sys.join('\n') : null;
}

function byTemplate(event: LocatableEvent, ws: LocateWorkspace, options: LocateOptions): { candidates: SourceCandidate[]; outcome: string } {
  if (!ws.prompts) return { candidates: [], outcome: 'no prompt index' };
  const index = ws.prompts;
  const opts = { threshold: options.templateThreshold ?? 0.2, limit: options.maxTemplates ?? 10 };
  const toCandidates = (text: string, source: 'system' | 'user'): SourceCandidate[] => {
    const out: SourceCandidate[] = [];
    for (const m of matchPrompt(index, text, opts)) {
      const folder = m.folder ?? 0;
      const segments = relativeSegments(m.file);
      // Only files of the workspace's list: the index is the caller's, the rule is the same.
      if (!segments || !ws.paths.folders[folder] || !isWorkspaceEntry(ws.paths, folder, m.file)) continue;
      out.push({
        file: m.file,
        folder,
        absolutePath: joinRoot(ws.paths.folders[folder].root, segments),
        line: m.line,
        column: m.column,
        method: 'template',
        score: m.score,
        template: m.template,
        promptSource: source,
        full: m.full,
      });
    }
    return out;
  };
  const system = systemText(event);
  if (system) {
    const c = toCandidates(system, 'system');
    if (c.length) return { candidates: c, outcome: `system prompt matches ${c.length} template(s)` };
  }
  const users = event.content.input.filter((m) => m.role === 'user' && m.content.trim()).map((m) => m.content);
  const best = new Map<string, SourceCandidate>();
  for (const text of users.reverse()) {
    for (const c of toCandidates(text, 'user')) {
      const key = `${c.folder}\0${c.file}\0${c.line}\0${c.column}`;
      const prev = best.get(key);
      if (!prev || prev.score < c.score) best.set(key, c);
    }
  }
  const c = [...best.values()].sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || (a.line ?? 0) - (b.line ?? 0));
  if (c.length) return { candidates: c.slice(0, opts.limit), outcome: `a user message matches ${c.length} template(s)` };
  if (!system && users.length === 0) return { candidates: [], outcome: 'no system prompt or user message logged' };
  return { candidates: [], outcome: `no template matches the ${[system ? 'system prompt' : '', users.length ? `${users.length} user message(s)` : ''].filter(Boolean).join(' or ')}` };
}

/** Where in the workspace a logged call comes from; see the order at the top of this file. */
export function locate(event: LocatableEvent, workspace: LocateWorkspace, options: LocateOptions = {}): LocateResult {
  const steps: LocateStep[] = [];
  const candidates: SourceCandidate[] = [];
  const methods: [LocateMethod, () => { candidates: SourceCandidate[]; outcome: string }][] = [
    ['attribute', () => byAttributes(event, workspace)],
    ['stacktrace', () => byStackTrace(event, workspace)],
    ['template', () => byTemplate(event, workspace, options)],
  ];
  for (const [method, run] of methods) {
    const r = run();
    steps.push({ method, outcome: r.outcome, candidates: r.candidates.length });
    candidates.push(...r.candidates.sort((a, b) => b.score - a.score));
    if (r.candidates.length && !options.exhaustive) break;
  }
  return { candidates, steps };
}

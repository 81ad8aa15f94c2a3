// audit-lens locate FILE... --workspace DIR [--json]
import fs from 'node:fs';
import path from 'node:path';
import { buildPathIndex } from '../../core/source/pathMapping';
import { buildPromptIndex } from '../../core/source/promptMatch';
import { locate, type LocateStep, type SourceCandidate } from '../../core/source/locateEvent';
import { listWorkspaceFiles, readPromptFiles } from '../../core/source/workspaceScan';
import { loadSources } from '../../core/store/loadSources';
import { openDatabase } from '../../core/store/openDatabase';
import { readEventWithContent } from '../../core/store/readBack';
import { UsageError, parseOptions, type CliCommand } from '../command';

export interface LocatedCall {
  rowid: number;
  id: string | null;
  /** Where the call is in the export. */
  export: { file: string; line: number };
  ts: string | null;
  model: string | null;
  /** The best candidate, or null: unattributed. */
  attribution: SourceCandidate | null;
  /** Every candidate of the method that found one (ties and other template matches), best first. */
  candidates: SourceCandidate[];
  steps: LocateStep[];
  /** Set when the call could not be read back from its export. */
  error?: string;
}

export interface LocateReport {
  workspace: string;
  workspaceFiles: number;
  promptTemplates: number;
  calls: LocatedCall[];
  totals: { calls: number; attribute: number; stacktrace: number; template: number; unattributed: number };
}

const METHOD_LABEL = { attribute: 'code attribute', stacktrace: 'stack trace', template: 'template match' } as const;

function where(c: SourceCandidate): string {
  return `${c.file}${c.line !== null ? `:${c.line}` : ''}${c.column !== undefined && c.method !== 'template' ? `:${c.column}` : ''}`;
}

function describe(c: SourceCandidate): string {
  const extra = c.method === 'template' ? ` (${c.promptSource === 'system' ? 'system prompt' : 'user message'})` : c.function ? ` in ${c.function}` : '';
  return `${METHOD_LABEL[c.method]}${extra}`;
}

export function formatLocateText(r: LocateReport): string {
  const out: string[] = [];
  out.push(`workspace ${r.workspace}: ${r.workspaceFiles.toLocaleString('en-US')} files, ${r.promptTemplates.toLocaleString('en-US')} prompt templates`);
  out.push('');
  const rows = r.calls.map((c) => {
    const call = [`${c.export.file}:${c.export.line}`, c.id ?? `#${c.rowid}`];
    if (c.error) return [...call, 'unattributed', `(not read back: ${c.error})`, ''];
    if (!c.attribution) return [...call, 'unattributed', '', ''];
    return [...call, where(c.attribution), describe(c.attribution), c.attribution.score.toFixed(2)];
  });
  const w = [0, 1, 2, 3].map((k) => Math.max(0, ...rows.map((row) => row[k].length)));
  r.calls.forEach((c, i) => {
    out.push(rows[i].map((cell, k) => (k < 4 ? cell.padEnd(w[k]) : cell)).join('  ').trimEnd());
    if (!c.attribution && !c.error) {
      for (const s of c.steps) out.push(`    ${METHOD_LABEL[s.method]}: ${s.outcome}`);
    }
    for (const other of c.candidates.slice(1, 4)) out.push(`    also ${where(other)}  ${describe(other)}  ${other.score.toFixed(2)}`);
    if (c.candidates.length > 4) out.push(`    … ${c.candidates.length - 4} more (use --json for the list)`);
  });
  const t = r.totals;
  out.push('');
  out.push(
    `${t.calls.toLocaleString('en-US')} LLM call${t.calls === 1 ? '' : 's'}: ${t.attribute} by code attribute, ${t.stacktrace} by stack trace, ` +
      `${t.template} by template match, ${t.unattributed} unattributed`,
  );
  return out.join('\n') + '\n';
}

export const locateCommand: CliCommand = {
  name: 'locate',
  summary: 'the code location each logged LLM call came from',
  usage: `audit-lens locate FILE... --workspace DIR [--json]

Reads AI audit log exports and, for each logged LLM call, finds the file and line in the workspace folder DIR that
made it, in this order: the code attributes logged with the call (code.file.path, code.line.number,
code.function.name; mapped to DIR by the longest matching path suffix), the stack trace logged with it (the first
application frame that maps to DIR), or the prompt: the string literal, template literal, f-string or prompt file
(.txt, .md, .prompty, .jinja) whose fixed text matches the logged system prompt, else a user message.
Calls that none of these place are listed as unattributed. Results are always files inside DIR.

  --workspace DIR   the project folder (node_modules, .git, build output and virtual environments are skipped;
                    symbolic links are not followed)
  --json            print JSON instead of text`,
  async run(args, io) {
    const { positionals: files, options, set } = parseOptions(args, ['workspace'], ['json']);
    if (files.length === 0) throw new UsageError('give at least one FILE');
    if (options.workspace === undefined) throw new UsageError('give the project folder with --workspace DIR');
    const root = path.resolve(options.workspace);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      io.err(`audit-lens: ${options.workspace}: no such folder\n`);
      return 2;
    }
    for (const f of files) {
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) {
        io.err(`audit-lens: ${f}: no such file\n`);
        return 2;
      }
    }
    const workspaceFiles = listWorkspaceFiles(root);
    const paths = buildPathIndex([{ root, files: workspaceFiles }]);
    const prompts = buildPromptIndex(readPromptFiles(root, workspaceFiles, 0));
    const db = await openDatabase(io.wasmPath);
    try {
      const { store, summary } = await loadSources(db, files.map((f) => path.resolve(f)), { maxSkippedListed: 0 });
      const sources = summary.files.map((f) => ({ path: f.path, format: f.format, compressed: f.compressed }));
      const rows = store.query(
        `SELECT rowid, id, file_index, line, ts, coalesce(request_model, response_model) FROM events
         WHERE kind = 'llm' ORDER BY file_index, line, idx`,
      ).rows;
      const calls: LocatedCall[] = [];
      const totals = { calls: 0, attribute: 0, stacktrace: 0, template: 0, unattributed: 0 };
      for (const r of rows) {
        const rowid = r[0] as number;
        const call: LocatedCall = {
          rowid,
          id: r[1] as string | null,
          export: { file: summary.files[r[2] as number].fileName, line: r[3] as number },
          ts: r[4] as string | null,
          model: r[5] as string | null,
          attribution: null,
          candidates: [],
          steps: [],
        };
        try {
          const back = await readEventWithContent(sources, (id) => store.location(id), (t, s) => store.linkedMessages(t, s), rowid);
          if (back) {
            const result = locate(back.event, { paths, prompts });
            call.candidates = result.candidates;
            call.steps = result.steps;
            call.attribution = result.candidates[0] ?? null;
          }
        } catch (err) {
          call.error = err instanceof Error ? err.message : String(err);
        }
        totals.calls++;
        if (call.attribution) totals[call.attribution.method]++;
        else totals.unattributed++;
        calls.push(call);
      }
      const report: LocateReport = { workspace: root, workspaceFiles: workspaceFiles.length, promptTemplates: prompts.templates.length, calls, totals };
      io.out(set.has('json') ? JSON.stringify(report, null, 2) + '\n' : formatLocateText(report));
      return 0;
    } finally {
      db.close();
    }
  },
};

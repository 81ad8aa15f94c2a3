// From a logged prompt to the code that produced it, and back: "Go to Source" for any event, and a CodeLens with
// the audit figures above each prompt template (or logged code location) that produced calls, with a hover of the
// last prompts logged from there, redacted. Nothing outside the workspace folders is ever opened.
import * as vscode from 'vscode';
import { detect } from '../core/redaction/detect';
import { RedactionContext, redact } from '../core/redaction/redact';
import { buildPathIndex, buildPromptIndex, listWorkspaceFiles, locate, mapPath, matchPrompt, readPromptFiles, type LocateWorkspace, type SourceCandidate } from '../core/source';
import { aggregateUsage, formatUsageLabel, recentPrompts, type MatchedCall, type TemplateUsage } from '../core/source/promptUsage';
import type { AuditLogDocument } from './auditLogDocument';
import type { AuditLogEditorProvider } from './auditLogEditorProvider';
import { output } from './output';
import { insideWorkspace } from './workspacePaths';

/** The workspace's files and prompt templates, built on first use and rebuilt after files change. */
class SourceIndex implements vscode.Disposable {
  private cached: Promise<LocateWorkspace> | undefined;
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*');
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const invalidate = (uri: vscode.Uri) => {
      if (/[\\/](node_modules|\.git)[\\/]/.test(uri.fsPath)) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.cached = undefined;
        this.changed.fire();
      }, 1000);
    };
    this.watcher.onDidChange(invalidate);
    this.watcher.onDidCreate(invalidate);
    this.watcher.onDidDelete(invalidate);
  }

  get(): Promise<LocateWorkspace> {
    this.cached ??= Promise.resolve().then(() => {
      const started = Date.now();
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
      const lists = folders.map((f) => ({ root: f.uri.fsPath, files: listWorkspaceFiles(f.uri.fsPath, { maxFiles: 50_000 }) }));
      const prompts = buildPromptIndex(lists.flatMap((l, i) => readPromptFiles(l.root, l.files, i)));
      output().info(`source index: ${lists.reduce((n, l) => n + l.files.length, 0)} files in ${Date.now() - started} ms`);
      return { paths: buildPathIndex(lists), prompts };
    });
    return this.cached;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher.dispose();
    this.changed.dispose();
  }
}

/** Opens a candidate if, symlinks resolved, it is inside the workspace. */
async function openCandidate(c: SourceCandidate): Promise<void> {
  if (!insideWorkspace(c.absolutePath)) {
    void vscode.window.showWarningMessage(`AI Audit Lens: ${c.file} is not inside the workspace and is not opened.`);
    return;
  }
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(c.absolutePath));
  const line = Math.min(Math.max(0, (c.line ?? 1) - 1), doc.lineCount - 1);
  const col = Math.max(0, (c.column ?? 1) - 1);
  const pos = new vscode.Position(line, col);
  await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside });
}

const METHOD: Record<SourceCandidate['method'], string> = { attribute: 'code location logged', stacktrace: 'stack trace', template: 'prompt template match' };

export class SourceLinks implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly index = new SourceIndex();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  /** Usage per absolute file path, for the document the figures come from. */
  private usage: { doc: AuditLogDocument; byFile: Map<string, (TemplateUsage & { promptHash: string | null; codeKey: string | null })[]> } | undefined;
  private computing: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly provider: AuditLogEditorProvider) {
    this.subscriptions.push(
      this.index.onDidChange(() => this.refresh()),
      provider.onDidFocusDocument(() => this.refresh()),
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.languages.registerHoverProvider({ scheme: 'file' }, this),
    );
  }

  refresh(): void {
    this.usage = undefined;
    this.computing = undefined;
    this.lensesChanged.fire();
  }

  /** "AI Audit Lens: Go to Source" for one event (from the timeline, the overview's event detail, the API). */
  async goToSource(doc: AuditLogDocument, rowid: number): Promise<SourceCandidate[]> {
    const back = await doc.event(rowid);
    if (!back) return [];
    const { candidates, steps } = locate(back.event, await this.index.get());
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(`AI Audit Lens: no workspace file matches this event (${steps.map((s) => `${s.method}: ${s.outcome}`).join('; ')}).`);
      return [];
    }
    if (candidates.length === 1) {
      await openCandidate(candidates[0]);
      return candidates;
    }
    const pick = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: `${c.file}${c.line ? `:${c.line}` : ''}`, description: `${METHOD[c.method]} · score ${c.score.toFixed(2)}`, detail: c.template ? c.template.slice(0, 120) : c.function, c })),
      { title: 'AI Audit Lens: which code produced this event?' },
    );
    if (pick) await openCandidate(pick.c);
    return candidates;
  }

  /** Attributes every model call of the focused export to code: logged code locations, then system-prompt templates. */
  private async compute(): Promise<void> {
    const doc = this.provider.lastDocument;
    if (!doc || doc.state.kind !== 'loaded') return;
    const ws = await this.index.get();
    const calls: (MatchedCall & { promptHash: string | null; codeKey: string | null })[] = [];
    const figures = async (where: string, params: (string | number)[]) =>
      (
        await doc.query(
          `SELECT rowid, input_tokens, output_tokens, cost, latency_ms, (kind = 'security' OR feedback_rating < 0 OR status = 'error') FROM events WHERE kind = 'llm' AND ${where}`,
          params,
        )
      ).rows;
    // 1. Logged code locations.
    const codeRows = (await doc.query("SELECT code_file, code_line FROM events WHERE kind = 'llm' AND code_file IS NOT NULL GROUP BY 1, 2")).rows;
    for (const [file, line] of codeRows) {
      const target = mapPath(ws.paths, String(file))[0];
      if (!target || !insideWorkspace(target.absolutePath)) continue;
      for (const r of await figures('code_file = ? AND code_line IS ?', [String(file), line as number])) {
        calls.push({ location: { file: target.absolutePath, line: (line as number) ?? 1 }, rowid: r[0] as number, inputTokens: r[1] as number, outputTokens: r[2] as number, costUsd: r[3] as number, latencyMs: r[4] as number, flagged: r[5] === 1, promptHash: null, codeKey: `${file}\n${line}` });
      }
    }
    // 2. System prompts (one read-back per distinct prompt) matched to templates.
    const hashes = (await doc.query("SELECT prompt_hash, min(rowid) FROM events WHERE kind = 'llm' AND prompt_hash IS NOT NULL GROUP BY prompt_hash LIMIT 500")).rows;
    for (const [hash, rowid] of hashes) {
      const back = await doc.event(rowid as number);
      const system = back?.event.content.system;
      if (!system || !ws.prompts) continue;
      const match = matchPrompt(ws.prompts, system, { threshold: 0.5, limit: 1 })[0];
      if (!match) continue;
      const target = mapPath(ws.paths, match.file)[0];
      const abs = target?.absolutePath;
      if (!abs || !insideWorkspace(abs)) continue;
      for (const r of await figures('prompt_hash = ?', [String(hash)])) {
        calls.push({ location: { file: abs, line: match.line, column: match.column }, rowid: r[0] as number, inputTokens: r[1] as number, outputTokens: r[2] as number, costUsd: r[3] as number, latencyMs: r[4] as number, flagged: r[5] === 1, promptHash: String(hash), codeKey: null });
      }
    }
    const meta = new Map(calls.map((c) => [c.rowid, c]));
    const byFile = new Map<string, (TemplateUsage & { promptHash: string | null; codeKey: string | null })[]>();
    for (const u of aggregateUsage(calls)) {
      const first = meta.get(u.rowids[0]);
      const list = byFile.get(u.location.file) ?? [];
      list.push({ ...u, promptHash: first?.promptHash ?? null, codeKey: first?.codeKey ?? null });
      byFile.set(u.location.file, list);
    }
    this.usage = { doc, byFile };
  }

  private async usageFor(document: vscode.TextDocument) {
    if (!this.usage) {
      this.computing ??= this.compute().catch((err) => output().error(`source figures: ${(err as Error).message}`));
      await this.computing;
    }
    return this.usage?.byFile.get(document.uri.fsPath) ?? [];
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.provider.lastDocument) return [];
    const usages = await this.usageFor(document);
    return usages.map((u) => {
      const line = Math.min(Math.max(0, u.location.line - 1), document.lineCount - 1);
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title: formatUsageLabel(u),
        tooltip: 'Show the events this code produced in AI Audit Lens',
        command: 'aiAuditLens.showEventsFromCode',
        arguments: [{ promptHash: u.promptHash, codeKey: u.codeKey }],
      });
    });
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    if (!this.usage || !this.provider.lastDocument) return undefined;
    const u = (this.usage.byFile.get(document.uri.fsPath) ?? []).find((x) => x.location.line - 1 === position.line);
    if (!u) return undefined;
    const doc = this.usage.doc;
    const latest = u.rowids.slice(-10);
    const prompts = [];
    for (const rowid of latest) {
      const back = await doc.event(rowid);
      const user = back?.event.content.input.filter((m) => m.role === 'user').pop()?.content;
      if (user) prompts.push({ rowid, ts: back!.event.ts, text: user });
    }
    const ctx = new RedactionContext({});
    const shown = await recentPrompts(prompts, { limit: 3, redact: (t) => redact(t, detect(t), 'tag', ctx) });
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown('**AI Audit Lens: last prompts logged from here (redacted)**\n\n');
    for (const p of shown) md.appendText(`${p.ts ?? ''}\n${p.text}\n\n`);
    return new vscode.Hover(md);
  }

  /** The CodeLens command: filter the export's views to the events this code produced. */
  async showEvents(arg: { promptHash: string | null; codeKey: string | null }): Promise<void> {
    const doc = this.usage?.doc;
    if (!doc) return;
    if (arg.promptHash) await doc.setFilter({ promptHash: arg.promptHash });
    else if (arg.codeKey) {
      const [file, line] = arg.codeKey.split('\n');
      await doc.setFilter({ codeFile: file, ...(line && line !== 'null' ? { codeLine: line } : {}) });
    }
    await vscode.commands.executeCommand('vscode.openWith', doc.uri, /\.audit\.jsonl$/i.test(doc.uri.path) ? 'aiAuditLens.auditLog' : 'aiAuditLens.auditLog.option');
  }

  dispose(): void {
    this.index.dispose();
    this.lensesChanged.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}

// One opened export (or several files opened together): its database worker, its load (progress, cancel,
// reload with another format) and the state its views render. The exports themselves are only ever read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cleanFilter } from '../core/query/filter';
import type { ContainerFormatId, EventFilter, FilterChoices, LoadProgress, LoadSummary, PreviewRow, SqlValue, WorkerReplies, WorkerRequest, WorkerRequestKind } from '../shared/protocol';
import { DbClient } from './dbClient';
import { output } from './output';
import { workspaceMappings } from './workspaceConfig';
import type { SkippedLineDiagnostics } from './diagnostics';

export type DocumentState =
  | { kind: 'loading'; progress: LoadProgress | null; firstRows?: PreviewRow[] }
  | { kind: 'loaded'; summary: LoadSummary; rows: PreviewRow[]; matching: number; filter: EventFilter; choices: FilterChoices }
  | { kind: 'failed'; message: string };

export interface DocumentContext {
  workerPath: string;
  previewRows: number;
  diagnostics: SkippedLineDiagnostics;
  /** The filter saved for these files (workspace state), so it survives a reload. */
  savedFilter(key: string): EventFilter;
  saveFilter(key: string, filter: EventFilter): void;
  onDisposed?: () => void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export class AuditLogDocument implements vscode.CustomDocument {
  private client: DbClient | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<DocumentState>();
  private current: DocumentState = { kind: 'loading', progress: null };
  private format: ContainerFormatId | undefined;
  private generation = 0;
  readonly onDidChangeState = this.stateEmitter.event;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  /** Fires once when the document closes (its views and the reports about it let go of it). */
  readonly onDidDispose = this.disposeEmitter.event;
  private readonly filterEmitter = new vscode.EventEmitter<EventFilter>();
  /** Fires when the filter changes; every view of this document follows it. */
  readonly onDidChangeFilter = this.filterEmitter.event;
  private currentFilter: EventFilter;
  /** Settles when the current load ends: its summary, or undefined when it failed or was cancelled. */
  loaded: Promise<LoadSummary | undefined>;

  constructor(
    readonly uris: vscode.Uri[],
    private readonly ctx: DocumentContext,
  ) {
    this.currentFilter = ctx.savedFilter(this.key);
    this.loaded = this.load();
    this.watchForChanges();
  }

  private watchers: vscode.Disposable[] = [];
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  /** Reloads, with a notice, when an export changes on disk (debounced: writers append in bursts). */
  private watchForChanges(): void {
    for (const uri of this.uris) {
      if (uri.scheme !== 'file') continue;
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, path.basename(uri.fsPath)));
      const onChange = () => {
        clearTimeout(this.reloadTimer);
        this.reloadTimer = setTimeout(() => {
          output().info(`${path.basename(uri.fsPath)} changed on disk: reloading`);
          void vscode.window.showInformationMessage(`AI Audit Lens: ${path.basename(uri.fsPath)} changed on disk and was reloaded.`);
          void this.reload(this.format);
        }, 500);
      };
      this.watchers.push(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange));
    }
  }

  /** Identifies these files in saved state. */
  get key(): string {
    return this.uris.map((u) => u.toString()).join('\n');
  }

  get filter(): EventFilter {
    return this.currentFilter;
  }

  /** Applies a filter to every view of this document, and remembers it. */
  async setFilter(raw: EventFilter): Promise<void> {
    const filter = cleanFilter(raw);
    this.currentFilter = filter;
    this.ctx.saveFilter(this.key, filter);
    this.filterEmitter.fire(filter);
    if (this.current.kind === 'loaded') {
      const { rows, matching } = await this.requireClient().request({ kind: 'preview', limit: this.ctx.previewRows, filter });
      if (this.current.kind === 'loaded') this.setState({ ...this.current, rows, matching, filter });
    }
  }

  private readonly annotationMap = new Map<string, string>();

  /** Short findings other features report about this export (PII scan, integrity verdict), shown in the overview. */
  get annotations(): Record<string, string> {
    return Object.fromEntries(this.annotationMap);
  }

  setAnnotation(key: string, text: string | undefined): void {
    if (text === undefined) this.annotationMap.delete(key);
    else this.annotationMap.set(key, text);
    if (this.current.kind === 'loaded') this.setState({ ...this.current });
  }

  /** A request to this export's worker. */
  request<K extends WorkerRequestKind>(req: Omit<Extract<WorkerRequest, { kind: K }>, 'id'> & { kind: K }, onProgress?: (p: LoadProgress) => void): Promise<WorkerReplies[K]> {
    return this.requireClient().request<K>(req as never, onProgress);
  }

  /**
   * A long request in a cancellable progress notification: Cancel aborts it in the worker (the database stays);
   * the worker's progress moves the bar (when it knows the total bytes) and shows the records done.
   */
  async requestWithProgress<K extends WorkerRequestKind>(title: string, req: Omit<Extract<WorkerRequest, { kind: K }>, 'id'> & { kind: K }): Promise<WorkerReplies[K]> {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const client = this.requireClient();
      const id = client.peekNextId();
      token.onCancellationRequested(() => this.client?.cancel(id));
      let reported = 0;
      return client.request<K>(req as never, (p) => {
        const pct = p.totalBytes ? (100 * p.bytesRead) / p.totalBytes : 0;
        progress.report({ increment: Math.max(0, pct - reported), message: `${p.records.toLocaleString('en-US')} records` });
        reported = Math.max(reported, pct);
      });
    });
  }

  get uri(): vscode.Uri {
    return this.uris[0];
  }

  get title(): string {
    return this.uris.length === 1 ? path.basename(this.uri.fsPath) : `${this.uris.length} files`;
  }

  get state(): DocumentState {
    return this.current;
  }

  get chosenFormat(): ContainerFormatId | undefined {
    return this.format;
  }

  query(sql: string, params?: SqlValue[]) {
    return this.requireClient().request({ kind: 'query', sql, params });
  }

  event(rowid: number) {
    return this.requireClient().request({ kind: 'event', rowid });
  }

  /** Loads again, with a format chosen by the user (undefined: detect). */
  reload(format: ContainerFormatId | undefined): Promise<LoadSummary | undefined> {
    this.format = format;
    this.loaded = this.load();
    return this.loaded;
  }

  /** Stops the load (the worker is terminated); the views say that it was cancelled. */
  cancel(): void {
    if (this.current.kind === 'loading') {
      this.setState({ kind: 'failed', message: `Loading ${this.title} was cancelled. Reopen the file to load it again.` });
    }
    void this.client?.dispose();
  }

  dispose(): void {
    clearTimeout(this.reloadTimer);
    this.watchers.forEach((w) => w.dispose());
    this.ctx.onDisposed?.();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
    this.ctx.diagnostics.clear(this.uris);
    void this.client?.dispose();
    this.stateEmitter.dispose();
    this.filterEmitter.dispose();
  }

  private requireClient(): DbClient {
    if (!this.client) throw new Error(`${this.title} is not loaded`);
    return this.client;
  }

  private setState(state: DocumentState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async load(): Promise<LoadSummary | undefined> {
    const generation = ++this.generation;
    void this.client?.dispose();
    this.ctx.diagnostics.clear(this.uris);
    const notLocal = this.uris.find((u) => u.scheme !== 'file');
    if (notLocal) {
      this.setState({ kind: 'failed', message: `${notLocal.toString()}: AI Audit Lens reads exports from the local file system only (scheme "${notLocal.scheme}" is not supported).` });
      return undefined;
    }
    const client = new DbClient(this.ctx.workerPath);
    this.client = client;
    this.setState({ kind: 'loading', progress: null });
    const log = output();
    log.info(`loading ${this.uris.map((u) => u.fsPath).join(', ')}${this.format ? ` as ${this.format} (chosen by the user)` : ''}`);
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `AI Audit Lens: loading ${this.title}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => this.cancel());
          let reported = 0;
          let firstRows: PreviewRow[] | undefined;
          // Settings values are proxies that cannot cross to the worker: send a plain copy.
          const priceOverrides = JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('aiAuditLens').get('prices') ?? {})) as Record<string, { input: number; output: number }>;
          const mappings = workspaceMappings(this.uri);
          const load = { kind: 'load' as const, paths: this.uris.map((u) => u.fsPath), format: this.format, previewRows: this.ctx.previewRows, priceOverrides, mappings };
          return client.request(load, (p) => {
            firstRows = p.firstRows ?? firstRows;
            const pct = p.totalBytes > 0 ? (100 * p.bytesRead) / p.totalBytes : 100;
            const perSecond = p.elapsedMs > 0 ? Math.round((1000 * p.records) / p.elapsedMs) : 0;
            progress.report({
              increment: Math.max(0, pct - reported),
              message: `${fmt(p.records)} records (${fmt(perSecond)}/s), ${fmt(p.skipped)} skipped`,
            });
            reported = Math.max(reported, pct);
            if (this.current.kind === 'loading' && generation === this.generation) this.setState({ kind: 'loading', progress: p, firstRows });
          });
        },
      );
      const filter = this.currentFilter;
      const { rows, matching } = await client.request({ kind: 'preview', limit: this.ctx.previewRows, filter });
      const choices = await client.request({ kind: 'choices' });
      if (generation !== this.generation) return undefined;
      this.explain(summary);
      this.ctx.diagnostics.set(this.uris, summary);
      this.setState({ kind: 'loaded', summary, rows, matching, filter, choices });
      return summary;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (generation === this.generation && this.current.kind !== 'failed') {
        log.error(`could not load ${this.title}: ${message}`);
        this.setState({ kind: 'failed', message: `${this.title}: ${message}` });
      }
      return undefined;
    }
  }

  /** Writes what was detected and read to the output channel, so the user can check the format decision. */
  private explain(summary: LoadSummary): void {
    const log = output();
    for (const f of summary.files) {
      const dialects = Object.entries(f.dialects).map(([d, n]) => `${fmt(n)} ${d}`).join(', ') || 'none';
      log.info(`${f.fileName}: read as ${f.format} because ${f.formatReason}`);
      log.info(`${f.fileName}: ${fmt(f.lines)} lines, ${fmt(f.records)} records (${dialects}), ${fmt(f.events)} events, ${fmt(f.skipped)} skipped, ${fmt(f.blankLines)} blank`);
    }
    for (const s of summary.skippedLines.slice(0, 200)) {
      log.warn(`${summary.files[s.fileIndex]?.fileName}:${s.line}: ${s.reason}`);
    }
    log.info(`loaded ${summary.title} in ${fmt(summary.elapsedMs)} ms`);
  }
}

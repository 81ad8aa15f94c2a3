// One opened export: its database worker, its load (with progress and cancel) and the state its views render.
// The export itself is only ever read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadProgress, LoadSummary, PreviewRow } from '../shared/protocol';
import { DbClient } from './dbClient';
import { output } from './output';

export type DocumentState =
  | { kind: 'loading'; progress: LoadProgress | null }
  | { kind: 'loaded'; summary: LoadSummary; rows: PreviewRow[] }
  | { kind: 'failed'; message: string };

export class AuditLogDocument implements vscode.CustomDocument {
  private readonly client: DbClient;
  private readonly stateEmitter = new vscode.EventEmitter<DocumentState>();
  private current: DocumentState = { kind: 'loading', progress: null };
  readonly onDidChangeState = this.stateEmitter.event;
  readonly loaded: Promise<LoadSummary | undefined>;

  constructor(
    readonly uri: vscode.Uri,
    workerPath: string,
    previewRows: number,
    private readonly onDisposed: () => void = () => undefined,
  ) {
    this.client = new DbClient(workerPath);
    this.loaded = this.load(previewRows);
  }

  get fileName(): string {
    return path.basename(this.uri.fsPath);
  }

  get state(): DocumentState {
    return this.current;
  }

  query(sql: string, params?: (string | number | null)[]) {
    return this.client.request({ kind: 'query', sql, params });
  }

  /** Stops the load (the worker is terminated); the views show that it was cancelled. */
  cancel(): void {
    if (this.current.kind === 'loading') {
      this.setState({ kind: 'failed', message: `Loading ${this.fileName} was cancelled.` });
    }
    void this.client.dispose();
  }

  dispose(): void {
    this.onDisposed();
    void this.client.dispose();
    this.stateEmitter.dispose();
  }

  private setState(state: DocumentState): void {
    this.current = state;
    this.stateEmitter.fire(state);
  }

  private async load(previewRows: number): Promise<LoadSummary | undefined> {
    if (this.uri.scheme !== 'file') {
      const message = `${this.uri.toString()}: AI Audit Lens reads exports from the local file system only (scheme "${this.uri.scheme}" is not supported).`;
      this.setState({ kind: 'failed', message });
      return undefined;
    }
    const log = output();
    log.info(`loading ${this.uri.fsPath}`);
    try {
      const summary = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `AI Audit Lens: loading ${this.fileName}`,
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => this.cancel());
          let reported = 0;
          return this.client.request({ kind: 'load', path: this.uri.fsPath }, (p) => {
            const pct = p.totalBytes > 0 ? (100 * p.bytesRead) / p.totalBytes : 100;
            progress.report({
              increment: Math.max(0, pct - reported),
              message: `${p.records.toLocaleString('en-US')} records, ${p.skipped.toLocaleString('en-US')} skipped`,
            });
            reported = Math.max(reported, pct);
            if (this.current.kind === 'loading') this.setState({ kind: 'loading', progress: p });
          });
        },
      );
      const rows = await this.client.request({ kind: 'preview', limit: previewRows });
      log.info(
        `loaded ${this.fileName}: ${summary.records} records, ${summary.skipped} skipped, ${summary.blankLines} blank, in ${summary.elapsedMs} ms`,
      );
      for (const s of summary.skippedLines.slice(0, 50)) {
        log.warn(`${this.fileName}:${s.line}: ${s.reason}`);
      }
      this.setState({ kind: 'loaded', summary, rows });
      return summary;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (this.current.kind !== 'failed') {
        log.error(`could not load ${this.uri.fsPath}: ${message}`);
        this.setState({ kind: 'failed', message: `${this.fileName}: ${message}` });
      }
      return undefined;
    }
  }
}

// Entry point of the extension host side. Registers the custom editor, diagnostics and commands, and returns a
// small API (used by the integration tests, and by other extensions that want an export's figures).
import * as vscode from 'vscode';
import type { LoadSummary, QueryResult, SqlValue } from './shared/protocol';
import type { NormalizedEvent } from './core/model/normalized';
import { AuditLogEditorProvider } from './host/auditLogEditorProvider';
import { registerCommands } from './host/commands';
import { SkippedLineDiagnostics } from './host/diagnostics';
import { disposeOutput } from './host/output';

export interface AuditLensApi {
  /** The load summary of an export open in AI Audit Lens, once it has loaded (undefined if it failed). */
  summary(uri: vscode.Uri): Promise<LoadSummary | undefined>;
  /** Runs SQL against an open export's database (in its worker). */
  query(uri: vscode.Uri, sql: string, params?: SqlValue[]): Promise<QueryResult>;
  /** One event read back from the export, content included. */
  event(uri: vscode.Uri, rowid: number): Promise<{ event: NormalizedEvent; source: string } | null>;
}

export function activate(context: vscode.ExtensionContext): AuditLensApi {
  const diagnostics = new SkippedLineDiagnostics();
  const provider = AuditLogEditorProvider.register(context, diagnostics);
  registerCommands(context, provider);
  context.subscriptions.push(diagnostics, { dispose: disposeOutput });

  const docFor = (uri: vscode.Uri) => {
    const doc = provider.documentFor(uri);
    if (!doc) throw new Error(`${uri.toString()} is not open in AI Audit Lens`);
    return doc;
  };
  return {
    summary: (uri) => docFor(uri).loaded,
    query: (uri, sql, params) => docFor(uri).query(sql, params),
    event: (uri, rowid) => docFor(uri).event(rowid),
  };
}

export function deactivate(): void {
  // Documents and their workers are disposed by VS Code when their editors close.
}

// Entry point of the extension host side. Registers the custom editor and the commands, and returns a small API
// (used by the integration tests, and by other extensions that want an export's figures).
import * as vscode from 'vscode';
import type { LoadSummary, QueryResult, SqlValue } from './shared/protocol';
import { AuditLogEditorProvider } from './host/auditLogEditorProvider';
import { registerCommands } from './host/commands';
import { disposeOutput } from './host/output';

export interface AuditLensApi {
  /** The load summary of an export open in the AI Audit Lens editor, once it has loaded (undefined if it failed). */
  summary(uri: vscode.Uri): Promise<LoadSummary | undefined>;
  /** Runs SQL against an open export's database (in its worker). */
  query(uri: vscode.Uri, sql: string, params?: SqlValue[]): Promise<QueryResult>;
}

export function activate(context: vscode.ExtensionContext): AuditLensApi {
  const provider = AuditLogEditorProvider.register(context);
  registerCommands(context);
  context.subscriptions.push({ dispose: disposeOutput });

  const docFor = (uri: vscode.Uri) => {
    const doc = provider.documentFor(uri);
    if (!doc) throw new Error(`${uri.toString()} is not open in the AI Audit Lens editor`);
    return doc;
  };
  return {
    summary: (uri) => docFor(uri).loaded,
    query: (uri, sql, params) => docFor(uri).query(sql, params),
  };
}

export function deactivate(): void {
  // Documents and their workers are disposed by VS Code when their editors close.
}

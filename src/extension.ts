// Entry point of the extension host side. Registers the custom editor, diagnostics and commands, and returns a
// small API (used by the integration tests, and by other extensions that want an export's figures).
import { reopenStartupTextTabs } from './host/startupReopen';
import * as vscode from 'vscode';
import type { EventFilter, IntegrityReport, LoadSummary, QueryResult, ReadOnlyResult, SessionRow, SqlValue } from './shared/protocol';
import type { NormalizedEvent } from './core/model/normalized';
import { AuditLogEditorProvider } from './host/auditLogEditorProvider';
import { registerCommands } from './host/commands';
import { SkippedLineDiagnostics } from './host/diagnostics';
import { disposeOutput, output } from './host/output';
import { SessionsTree } from './host/sessionsTree';
import { IntegrityController } from './host/integrityController';
import { SourceLinks } from './host/sourceLinks';
import { RedactionController } from './host/redactionController';
import { FindingsTree } from './host/findingsTree';
import { CHANGE_SCHEME, ChangeContentProvider } from './host/systemEventsView';

export interface AuditLensApi {
  /** The load summary of an export open in AI Audit Lens, once it has loaded (undefined if it failed). */
  summary(uri: vscode.Uri): Promise<LoadSummary | undefined>;
  /** Read-only SQL as the query console runs it (writes, ATTACH and state-changing PRAGMAs are refused). */
  sql(uri: vscode.Uri, sql: string): Promise<ReadOnlyResult>;
  /** Runs SQL against an open export's database (in its worker). */
  query(uri: vscode.Uri, sql: string, params?: SqlValue[]): Promise<QueryResult>;
  /** One event read back from the export, content included. */
  event(uri: vscode.Uri, rowid: number): Promise<{ event: NormalizedEvent; source: string } | null>;
  /** Sets the filter every view of an open export follows. */
  setFilter(uri: vscode.Uri, filter: EventFilter): Promise<void>;
  /** The sessions the Sessions tree shows (the focused export's, filtered). */
  treeSessions(): SessionRow[];
  /** "Go to Source" for one event: the candidates (the best is opened, or picked from a list). */
  goToSource(uri: vscode.Uri, rowid: number): Promise<{ file: string; line: number | null; method: string; score: number }[]>;
  /** Verifies an open export's integrity (as the command does) and returns the report. */
  verify(uri: vscode.Uri): Promise<IntegrityReport | undefined>;
}

export function activate(context: vscode.ExtensionContext): AuditLensApi {
  const diagnostics = new SkippedLineDiagnostics();
  const provider = AuditLogEditorProvider.register(context, diagnostics);
  const sessions = new SessionsTree(context.workspaceState);
  const tree = vscode.window.createTreeView('aiAuditLens.sessions', { treeDataProvider: sessions, showCollapseAll: true });
  const integrity = new IntegrityController(context.secrets);
  const source = new SourceLinks(provider);
  const redaction = new RedactionController(context.secrets);
  const findings = new FindingsTree();
  const findingsView = vscode.window.createTreeView('aiAuditLens.findings', { treeDataProvider: findings });
  const changes = new ChangeContentProvider();
  registerCommands(context, provider, sessions, integrity, source, redaction, findings, changes);
  void reopenStartupTextTabs().catch((err: unknown) => output().error(`reopening exports that opened as text failed: ${err instanceof Error ? err.message : String(err)}`));
  context.subscriptions.push(
    diagnostics,
    sessions,
    tree,
    integrity,
    source,
    redaction,
    findings,
    findingsView,
    vscode.workspace.registerTextDocumentContentProvider(CHANGE_SCHEME, changes),
    provider.onDidFocusDocument((doc) => {
      sessions.follow(doc);
      integrity.showStatusFor(doc);
      doc.onDidDispose(() => {
        integrity.forget(doc);
        redaction.forget(doc);
        findings.forget(doc);
        integrity.showStatusFor(provider.lastDocument);
      });
    }),
    { dispose: disposeOutput },
  );

  const docFor = (uri: vscode.Uri) => {
    const doc = provider.documentFor(uri);
    if (!doc) throw new Error(`${uri.toString()} is not open in AI Audit Lens`);
    return doc;
  };
  return {
    summary: (uri) => docFor(uri).loaded,
    query: (uri, sql, params) => docFor(uri).query(sql, params),
    sql: (uri, sql) => docFor(uri).request({ kind: 'sqlQuery', sql, maxRows: 5000 }),
    event: (uri, rowid) => docFor(uri).event(rowid),
    setFilter: (uri, filter) => docFor(uri).setFilter(filter),
    verify: (uri) => integrity.verify(docFor(uri)),
    goToSource: (uri, rowid) => source.goToSource(docFor(uri), rowid),
    treeSessions: () => sessions.getChildren().flatMap((g) => (g.kind === 'group' ? g.sessions : [])),
  };
}

export function deactivate(): void {
  // Documents and their workers are disposed by VS Code when their editors close.
}

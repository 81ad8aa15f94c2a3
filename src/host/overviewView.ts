// Binds an overview webview (in the custom editor or in a panel for several files) to an AuditLogDocument.
import * as vscode from 'vscode';
import { assertNever, type OverviewToHost, type ToOverview } from '../shared/protocol';
import type { AuditLogDocument, DocumentState } from './auditLogDocument';
import { output } from './output';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

function toMessage(doc: AuditLogDocument, state: DocumentState): ToOverview {
  switch (state.kind) {
    case 'loading':
      return { type: 'loading', title: doc.title, progress: state.progress, firstRows: state.firstRows };
    case 'loaded':
      return { type: 'loaded', summary: state.summary, rows: state.rows, matching: state.matching, filter: state.filter, choices: state.choices, annotations: doc.annotations };
    case 'failed':
      return { type: 'failed', title: doc.title, message: state.message };
    default:
      return assertNever(state);
  }
}

/** Sets up the webview and returns what to dispose with it. */
export function bindOverview(webview: vscode.Webview, doc: AuditLogDocument, extensionUri: vscode.Uri): vscode.Disposable {
  webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: webviewRoots(extensionUri) };
  webview.html = renderWebviewHtml(webview, extensionUri, { script: 'overview', title: doc.title });
  const post = (msg: ToOverview) => void webview.postMessage(msg);
  const subscriptions = [
    doc.onDidChangeState((state) => post(toMessage(doc, state))),
    webview.onDidReceiveMessage(async (msg: OverviewToHost) => {
      switch (msg.type) {
        case 'ready':
          post(toMessage(doc, doc.state));
          return;
        case 'revealLine': {
          const uri = doc.uris[msg.fileIndex];
          if (uri) await revealLine(uri, msg.line);
          return;
        }
        case 'showEvent': {
          try {
            const found = await doc.event(msg.rowid);
            post({ type: 'event', rowid: msg.rowid, event: found?.event ?? null, source: found?.source ?? '' });
          } catch (err) {
            const message = err instanceof Error ? err.message : String(err);
            output().error(message);
            void vscode.window.showErrorMessage(`AI Audit Lens: ${message}`);
          }
          return;
        }
        case 'chooseFormat':
          await vscode.commands.executeCommand('aiAuditLens.reopenWithFormat', doc.uri);
          return;
        case 'setFilter':
          await doc.setFilter(msg.filter);
          return;
        case 'openTimeline':
          await vscode.commands.executeCommand('aiAuditLens.openTimeline', { doc, sessionId: msg.sessionId, rowid: msg.rowid });
          return;
        case 'openCharts':
          await vscode.commands.executeCommand('aiAuditLens.openCharts', doc.uri);
          return;
        case 'goToSource':
          await vscode.commands.executeCommand('aiAuditLens.goToSource', { doc, rowid: msg.rowid });
          return;
        case 'verifyIntegrity':
          await vscode.commands.executeCommand('aiAuditLens.verifyIntegrity', doc.uri);
          return;
        case 'copyText':
          await vscode.env.clipboard.writeText(String(msg.text));
          return;
        default:
          assertNever(msg);
      }
    }),
  ];
  return vscode.Disposable.from(...subscriptions);
}

/** Opens an export (never any other file: the caller passes one of the document's own URIs) at a 1-based line. */
export async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  if (!Number.isInteger(line) || line < 1) return;
  if (/\.gz$/i.test(uri.path)) {
    void vscode.window.showInformationMessage(`Line ${line} is inside a compressed export; open the decompressed file to see it.`);
    return;
  }
  const position = new vscode.Position(line - 1, 0);
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true, selection: new vscode.Range(position, position) });
}

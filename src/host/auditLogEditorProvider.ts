// The read-only custom editor "AI Audit Lens": one AuditLogDocument per export, one overview webview per editor.
import * as vscode from 'vscode';
import { assertNever, type HostToWebview, type WebviewToHost } from '../shared/protocol';
import { AuditLogDocument, type DocumentState } from './auditLogDocument';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export const VIEW_TYPE_DEFAULT = 'aiAuditLens.auditLog';
export const VIEW_TYPE_OPTION = 'aiAuditLens.auditLog.option';

function toMessage(doc: AuditLogDocument, state: DocumentState): HostToWebview {
  switch (state.kind) {
    case 'loading':
      return { type: 'loading', fileName: doc.fileName, progress: state.progress };
    case 'loaded':
      return { type: 'loaded', summary: state.summary, rows: state.rows };
    case 'failed':
      return { type: 'failed', fileName: doc.fileName, message: state.message };
    default:
      return assertNever(state);
  }
}

export class AuditLogEditorProvider implements vscode.CustomReadonlyEditorProvider<AuditLogDocument> {
  private readonly documents = new Map<string, AuditLogDocument>();

  constructor(private readonly context: vscode.ExtensionContext) {}

  static register(context: vscode.ExtensionContext): AuditLogEditorProvider {
    const provider = new AuditLogEditorProvider(context);
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_DEFAULT, provider, options),
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_OPTION, provider, options),
    );
    return provider;
  }

  /** The open document for an export, if any (used by commands and the test API). */
  documentFor(uri: vscode.Uri): AuditLogDocument | undefined {
    return this.documents.get(uri.toString());
  }

  openCustomDocument(uri: vscode.Uri): AuditLogDocument {
    const previewRows = vscode.workspace.getConfiguration('aiAuditLens').get<number>('previewRows', 200);
    const workerPath = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'dbWorker.js').fsPath;
    const key = uri.toString();
    const doc: AuditLogDocument = new AuditLogDocument(uri, workerPath, previewRows, () => {
      if (this.documents.get(key) === doc) this.documents.delete(key);
    });
    this.documents.set(key, doc);
    return doc;
  }

  resolveCustomEditor(doc: AuditLogDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: webviewRoots(this.context.extensionUri) };
    webview.html = renderWebviewHtml(webview, this.context.extensionUri, { script: 'overview', title: doc.fileName });
    const post = (state: DocumentState) => void webview.postMessage(toMessage(doc, state));
    const subscriptions: vscode.Disposable[] = [
      doc.onDidChangeState(post),
      webview.onDidReceiveMessage((msg: WebviewToHost) => this.onMessage(doc, panel, msg)),
    ];
    panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
  }

  private onMessage(doc: AuditLogDocument, panel: vscode.WebviewPanel, msg: WebviewToHost): void {
    switch (msg.type) {
      case 'ready':
        void panel.webview.postMessage(toMessage(doc, doc.state));
        return;
      case 'revealLine':
        void revealLine(doc.uri, msg.line);
        return;
      default:
        assertNever(msg);
    }
  }
}

/** Opens the export itself (never any other file) in a text editor beside the view, at a 1-based line. */
async function revealLine(uri: vscode.Uri, line: number): Promise<void> {
  if (!Number.isInteger(line) || line < 1) return;
  if (/\.gz$/i.test(uri.path)) {
    void vscode.window.showInformationMessage(`Line ${line} is inside a compressed export; open the decompressed file to see it.`);
    return;
  }
  const position = new vscode.Position(line - 1, 0);
  await vscode.window.showTextDocument(uri, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    selection: new vscode.Range(position, position),
  });
}

// The read-only custom editor "AI Audit Lens": one AuditLogDocument per export, one overview webview per editor.
// Also opens several files together in a webview panel (OTLP traces + logs, a folder of exports).
import * as vscode from 'vscode';
import { cleanFilter } from '../core/query/filter';
import { AuditLogDocument, type DocumentContext } from './auditLogDocument';
import type { SkippedLineDiagnostics } from './diagnostics';
import { bindOverview } from './overviewView';

export const VIEW_TYPE_DEFAULT = 'aiAuditLens.auditLog';
export const VIEW_TYPE_OPTION = 'aiAuditLens.auditLog.option';

export class AuditLogEditorProvider implements vscode.CustomReadonlyEditorProvider<AuditLogDocument> {
  private readonly documents = new Map<string, AuditLogDocument>();
  private active: AuditLogDocument | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly diagnostics: SkippedLineDiagnostics,
  ) {}

  static register(context: vscode.ExtensionContext, diagnostics: SkippedLineDiagnostics): AuditLogEditorProvider {
    const provider = new AuditLogEditorProvider(context, diagnostics);
    const options = { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } };
    context.subscriptions.push(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_DEFAULT, provider, options),
      vscode.window.registerCustomEditorProvider(VIEW_TYPE_OPTION, provider, options),
    );
    return provider;
  }

  /** The open document for an export (or the first file of a set), if any. */
  documentFor(uri: vscode.Uri): AuditLogDocument | undefined {
    return this.documents.get(uri.toString());
  }

  /** The document of the AI Audit Lens view that has focus. */
  get activeDocument(): AuditLogDocument | undefined {
    return this.active;
  }

  private documentContext(key: string, doc: () => AuditLogDocument): DocumentContext {
    return {
      workerPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'dbWorker.js').fsPath,
      previewRows: vscode.workspace.getConfiguration('aiAuditLens').get<number>('previewRows', 200),
      diagnostics: this.diagnostics,
      savedFilter: (k) => cleanFilter(this.context.workspaceState.get(`aiAuditLens.filter:${k}`)),
      saveFilter: (k, f) => void this.context.workspaceState.update(`aiAuditLens.filter:${k}`, Object.keys(f).length ? f : undefined),
      onDisposed: () => {
        if (this.documents.get(key) === doc()) this.documents.delete(key);
        if (this.active === doc()) this.setActive(undefined);
      },
    };
  }

  openCustomDocument(uri: vscode.Uri): AuditLogDocument {
    const key = uri.toString();
    const doc: AuditLogDocument = new AuditLogDocument([uri], this.documentContext(key, () => doc));
    this.documents.set(key, doc);
    return doc;
  }

  resolveCustomEditor(doc: AuditLogDocument, panel: vscode.WebviewPanel): void {
    this.track(doc, panel, bindOverview(panel.webview, doc, this.context.extensionUri));
  }

  /** Opens several files as one audit log, in a webview panel (it is not one file, so not a custom editor). */
  openTogether(uris: vscode.Uri[]): AuditLogDocument {
    const doc: AuditLogDocument = new AuditLogDocument(uris, this.documentContext(uris[0].toString(), () => doc));
    this.documents.set(uris[0].toString(), doc);
    const panel = vscode.window.createWebviewPanel('aiAuditLens.multiFile', `AI Audit Lens: ${doc.title}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      enableCommandUris: false,
    });
    this.track(doc, panel, bindOverview(panel.webview, doc, this.context.extensionUri));
    panel.onDidDispose(() => doc.dispose());
    return doc;
  }

  private track(doc: AuditLogDocument, panel: vscode.WebviewPanel, binding: vscode.Disposable): void {
    if (panel.active) this.setActive(doc);
    const viewState = panel.onDidChangeViewState(() => {
      if (panel.active) this.setActive(doc);
      else if (this.active === doc) this.setActive(undefined);
    });
    panel.onDidDispose(() => {
      binding.dispose();
      viewState.dispose();
      if (this.active === doc) this.setActive(undefined);
    });
  }

  private readonly activeEmitter = new vscode.EventEmitter<AuditLogDocument>();
  /** Fires when an AI Audit Lens view of a document gets focus. */
  readonly onDidFocusDocument = this.activeEmitter.event;
  private last: AuditLogDocument | undefined;

  /** The document whose view had focus last (still open), for views such as the Sessions tree and for commands. */
  get lastDocument(): AuditLogDocument | undefined {
    return this.last && [...this.documents.values()].includes(this.last) ? this.last : this.active;
  }

  private setActive(doc: AuditLogDocument | undefined): void {
    this.active = doc;
    if (doc) {
      this.last = doc;
      this.activeEmitter.fire(doc);
    }
    void vscode.commands.executeCommand('setContext', 'aiAuditLens.viewActive', doc !== undefined);
  }
}

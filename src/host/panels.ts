// One webview panel per key (an export, or an export and a session): reveals the open one, or creates it with the
// extension's HTML shell (strict CSP, local resources only, no command URIs) and forgets it when it closes.
import * as vscode from 'vscode';
import { renderWebviewHtml, webviewRoots } from './webviewHtml';

export interface PanelSpec {
  viewType: string;
  title: string;
  /** The webview bundle under dist/webview. */
  script: string;
  styles?: string[];
  retainContextWhenHidden?: boolean;
}

/** The new panel, or undefined when one was open for `key` (it is revealed instead). */
export function openSingletonPanel<K>(open: Map<K, vscode.WebviewPanel>, key: K, extensionUri: vscode.Uri, spec: PanelSpec): vscode.WebviewPanel | undefined {
  const existing = open.get(key);
  if (existing) {
    existing.reveal();
    return undefined;
  }
  const panel = vscode.window.createWebviewPanel(spec.viewType, spec.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: webviewRoots(extensionUri),
    retainContextWhenHidden: spec.retainContextWhenHidden ?? false,
  });
  open.set(key, panel);
  panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, { script: spec.script, title: spec.title, styles: spec.styles });
  panel.onDidDispose(() => {
    if (open.get(key) === panel) open.delete(key);
  });
  return panel;
}

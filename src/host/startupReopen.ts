// At activation: an export that the settings associate with the AI Audit Lens editor but that is showing in a text
// editor was opened before the custom editor was registered (code-server opens a URL's file that early; `npm start`
// relies on it). Such tabs are reopened in the AI Audit Lens editor. Only tabs open at activation are touched, and only
// for explicit `workbench.editorAssociations` entries: a text tab the user opens later stays as it is.
import * as vscode from 'vscode';
import { VIEW_TYPE_DEFAULT, VIEW_TYPE_OPTION } from './auditLogEditorProvider';

/** True when an association pattern of the form `*.suffix` (or an exact name) maps this file name to our editor. */
export function associatedWithUs(fileName: string, associations: Record<string, string> | undefined): boolean {
  for (const [pattern, viewType] of Object.entries(associations ?? {})) {
    if (viewType !== VIEW_TYPE_DEFAULT && viewType !== VIEW_TYPE_OPTION) continue;
    if (pattern.startsWith('*') && !pattern.slice(1).includes('*') && fileName.endsWith(pattern.slice(1))) return true;
    if (pattern === fileName) return true;
  }
  return false;
}

export async function reopenStartupTextTabs(): Promise<void> {
  const associations = vscode.workspace.getConfiguration('workbench').get<Record<string, string>>('editorAssociations');
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (!(tab.input instanceof vscode.TabInputText) || tab.input.uri.scheme !== 'file') continue;
      const uri = tab.input.uri;
      if (!associatedWithUs(uri.path.split('/').pop() ?? '', associations)) continue;
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE_DEFAULT, { viewColumn: group.viewColumn, preserveFocus: !tab.isActive });
      await vscode.window.tabGroups.close(tab).then(undefined, () => undefined);
    }
  }
}

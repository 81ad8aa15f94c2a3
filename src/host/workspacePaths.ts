// The one rule for every file a log or a configuration names: it is opened only if it lies inside a workspace
// folder, after resolving symlinks. Nothing outside, whatever the log says.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

function real(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}

/** True when `absPath` (symlinks resolved) is inside one of the workspace folders. */
export function insideWorkspace(absPath: string): boolean {
  if (!path.isAbsolute(absPath)) return false;
  const target = real(absPath);
  return (vscode.workspace.workspaceFolders ?? []).some((f) => {
    if (f.uri.scheme !== 'file') return false;
    const rel = path.relative(real(f.uri.fsPath), target);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

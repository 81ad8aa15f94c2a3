// Skipped lines as Problems-panel diagnostics on the export's own lines (not for gzip files, whose lines are
// not what the editor shows).
import * as vscode from 'vscode';
import type { LoadSummary } from '../shared/protocol';

export const MAX_DIAGNOSTICS_PER_FILE = 1000;

export class SkippedLineDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('aiAuditLens');

  set(uris: vscode.Uri[], summary: LoadSummary): void {
    summary.files.forEach((file, i) => {
      const uri = uris[i];
      if (!uri || file.compressed) return;
      const lines = summary.skippedLines.filter((s) => s.fileIndex === i).slice(0, MAX_DIAGNOSTICS_PER_FILE);
      const diagnostics = lines.map((s) => {
        const range = new vscode.Range(s.line - 1, 0, s.line - 1, Number.MAX_SAFE_INTEGER);
        const d = new vscode.Diagnostic(range, `Skipped by AI Audit Lens: ${s.reason}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'AI Audit Lens';
        return d;
      });
      if (file.skipped > lines.length) {
        const more = new vscode.Diagnostic(
          new vscode.Range(0, 0, 0, 0),
          `AI Audit Lens skipped ${file.skipped.toLocaleString('en-US')} lines in all; the first ${lines.length} are listed.`,
          vscode.DiagnosticSeverity.Information,
        );
        more.source = 'AI Audit Lens';
        diagnostics.push(more);
      }
      this.collection.set(uri, diagnostics);
    });
  }

  clear(uris: vscode.Uri[]): void {
    for (const uri of uris) this.collection.delete(uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}

// PII and secret redaction in VS Code: scan an export (settings choose the types, the minimum confidence, custom
// patterns and an allowlist), show findings as diagnostics and in the preview panel, and write a redacted copy to
// a new file the user picks (never over the export), with progress, Cancel and a summary written beside it.
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { BUILT_IN_TYPES, OFF_BY_DEFAULT } from '../core/redaction/types';
import type { DetectOptions, PiiScan, RedactionMode, RedactionSummary } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { output } from './output';

const PSEUDONYM_SECRET = 'aiAuditLens.redaction.pseudonymKey';

export interface ScanState {
  scan: PiiScan | null;
  running: boolean;
  error?: string;
}

export class RedactionController implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('aiAuditLens.pii');
  private readonly scans = new Map<AuditLogDocument, PiiScan>();
  private readonly changed = new vscode.EventEmitter<{ doc: AuditLogDocument } & ScanState>();
  readonly onDidChange = this.changed.event;
  /** The preview's mode, per document (the copy asks again). */
  readonly modes = new Map<AuditLogDocument, RedactionMode>();

  constructor(private readonly secrets: vscode.SecretStorage) {}

  scanFor(doc: AuditLogDocument): PiiScan | undefined {
    return this.scans.get(doc);
  }

  /** The detection options from settings (aiAuditLens.redaction.*). */
  detectOptions(): DetectOptions {
    const c = vscode.workspace.getConfiguration('aiAuditLens.redaction');
    const names = c.get<boolean>('detectPersonNames', false);
    const types = c.get<string[]>('types', []);
    const enabled = types.length ? types : BUILT_IN_TYPES.filter((t) => !OFF_BY_DEFAULT.includes(t) || (t === 'person_name' && names));
    const custom = c.get<{ name: string; pattern: string; flags?: string; confidence?: number }[]>('customPatterns', []);
    // Settings values are proxies: send plain copies to the worker.
    return JSON.parse(
      JSON.stringify({
        types: [...enabled, ...custom.map((p) => `custom:${p.name}`)],
        minConfidence: c.get<number>('minConfidence', 0.5),
        allowlist: { values: c.get<string[]>('allowlist', []) },
        customPatterns: custom,
      }),
    ) as DetectOptions;
  }

  allTypes(): string[] {
    const custom = vscode.workspace.getConfiguration('aiAuditLens.redaction').get<{ name: string }[]>('customPatterns', []);
    return [...BUILT_IN_TYPES, ...custom.map((p) => `custom:${p.name}`)];
  }

  async scan(doc: AuditLogDocument): Promise<PiiScan | undefined> {
    if (!(await doc.loaded)) return undefined;
    this.changed.fire({ doc, scan: this.scans.get(doc) ?? null, running: true });
    try {
      const scan = await doc.requestWithProgress(`AI Audit Lens: scanning ${doc.title} for PII and secrets`, { kind: 'scanPii', detect: this.detectOptions() });
      this.scans.set(doc, scan);
      this.setDiagnostics(doc, scan);
      doc.setAnnotation(
        'PII and secrets',
        scan.total ? `${scan.total.toLocaleString('en-US')} values in ${scan.recordsWithFindings.toLocaleString('en-US')} records (${Object.entries(scan.byType).map(([t, n]) => `${t} ${n}`).join(', ')})` : 'none found',
      );
      output().info(`PII scan of ${doc.title}: ${scan.total} findings in ${scan.recordsWithFindings} of ${scan.records} records (${Object.entries(scan.byType).map(([t, n]) => `${t} ${n}`).join(', ')})`);
      this.changed.fire({ doc, scan, running: false });
      return scan;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.changed.fire({ doc, scan: this.scans.get(doc) ?? null, running: false, error: /abort/i.test(message) ? 'The scan was cancelled.' : message });
      return undefined;
    }
  }

  private setDiagnostics(doc: AuditLogDocument, scan: PiiScan): void {
    for (const uri of doc.uris) this.diagnostics.delete(uri);
    const byFile = new Map<number, vscode.Diagnostic[]>();
    for (const f of scan.findings) {
      const uri = doc.uris[f.fileIndex];
      if (!uri || /\.gz$/i.test(uri.path)) continue;
      const d = new vscode.Diagnostic(
        new vscode.Range(f.line - 1, 0, f.line - 1, Number.MAX_SAFE_INTEGER),
        `${f.type} (${f.confidence.toFixed(2)}) in ${f.path}: ${f.masked}`,
        vscode.DiagnosticSeverity.Information,
      );
      d.source = 'AI Audit Lens (PII)';
      const list = byFile.get(f.fileIndex) ?? [];
      list.push(d);
      byFile.set(f.fileIndex, list);
    }
    for (const [i, list] of byFile) this.diagnostics.set(doc.uris[i], list);
  }

  private async pseudonymKey(): Promise<Buffer | undefined> {
    let key = await this.secrets.get(PSEUDONYM_SECRET);
    if (!key) {
      key = await vscode.window.showInputBox({
        title: 'AI Audit Lens: key for consistent pseudonyms',
        prompt: 'At least 16 characters. Kept in VS Code SecretStorage; the same key gives the same pseudonyms across files.',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.length >= 16 ? undefined : 'Use at least 16 characters.'),
      });
      if (!key) return undefined;
      await this.secrets.store(PSEUDONYM_SECRET, key);
    }
    return Buffer.from(key, 'utf8');
  }

  /** "Export Redacted Copy…": mode, target file (never the export), streamed with progress; a summary beside it. */
  async exportCopy(doc: AuditLogDocument, options: { mode?: RedactionMode; target?: vscode.Uri } = {}): Promise<RedactionSummary | undefined> {
    if (!(await doc.loaded)) return undefined;
    const modes: { label: string; mode: RedactionMode; detail: string }[] = [
      { label: 'Type tags', mode: 'tag', detail: '[EMAIL_1], [CREDIT_CARD_2]: the same value gets the same tag in the file' },
      { label: 'Mask', mode: 'mask', detail: '****' },
      { label: 'Partial', mode: 'partial', detail: 'keep the last 4 digits of cards, phones, IBANs and SSNs' },
      { label: 'Consistent pseudonyms', mode: 'pseudonym', detail: 'HMAC with a key in SecretStorage: the same value gives the same token across files' },
    ];
    const mode = options.mode ?? (await vscode.window.showQuickPick(modes, { title: 'AI Audit Lens: how should detected values be replaced?' }))?.mode;
    if (!mode) return undefined;
    const ext = doc.uri.path.match(/(\.[a-z0-9]+(\.gz)?)$/i)?.[1] ?? '.jsonl';
    const target =
      options.target ??
      (await vscode.window.showSaveDialog({
        title: 'AI Audit Lens: save the redacted copy',
        defaultUri: vscode.Uri.file(doc.uri.fsPath.slice(0, doc.uri.fsPath.length - ext.length) + `.redacted${ext}`),
      }));
    if (!target) return undefined;
    if (doc.uris.some((u) => u.fsPath === target.fsPath)) {
      void vscode.window.showErrorMessage('AI Audit Lens: the redacted copy cannot be written over the export itself.');
      return undefined;
    }
    const key = mode === 'pseudonym' ? await this.pseudonymKey() : undefined;
    if (mode === 'pseudonym' && !key) return undefined;
    try {
      if (fs.existsSync(target.fsPath)) fs.rmSync(target.fsPath); // the save dialog already asked to replace it
      const summary = await doc.requestWithProgress(`AI Audit Lens: writing a redacted copy of ${doc.title}`, { kind: 'redactCopy', output: target.fsPath, mode, key: key ? new Uint8Array(key) : undefined, detect: this.detectOptions(), rechain: true });
      const summaryPath = `${target.fsPath}.summary.json`;
      fs.writeFileSync(summaryPath, JSON.stringify(summary, null, 2) + '\n');
      output().info(`redacted copy ${target.fsPath}: ${summary.recordsChanged} of ${summary.recordsWritten} records changed; ${summary.integrityNote}`);
      void vscode.window
        .showInformationMessage(
          `AI Audit Lens: redacted copy written (${summary.findings.total} values in ${summary.recordsChanged} records replaced). ${summary.integrityNote}`,
          'Open Copy',
          'Open Summary',
        )
        .then((pick) => {
          if (pick === 'Open Copy') void vscode.commands.executeCommand('vscode.open', target);
          if (pick === 'Open Summary') void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(summaryPath));
        });
      return summary;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (!/abort/i.test(message)) void vscode.window.showErrorMessage(`AI Audit Lens: the redacted copy failed: ${message}`);
      return undefined;
    }
  }

  forget(doc: AuditLogDocument): void {
    doc.setAnnotation('PII and secrets', undefined);
    this.scans.delete(doc);
    this.modes.delete(doc);
    for (const uri of doc.uris) this.diagnostics.delete(uri);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.changed.dispose();
  }
}

// Integrity verification in VS Code: gathers the profile, keys and digest (from .auditlens.json in a trusted
// workspace, settings and SecretStorage), runs the verification in the export's worker with progress and Cancel,
// then shows the report, Problems-panel diagnostics on the export's lines, and a status-bar verdict.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseAuditLensFile, type IntegrityConfig } from '../core/integrity/config';
import type { IntegrityReport, VerifyRequestOptions } from '../shared/protocol';
import type { AuditLogDocument } from './auditLogDocument';
import { output } from './output';
import { insideWorkspace } from './workspacePaths';
import { readWorkspaceConfig } from './workspaceConfig';

const SECRET_KEY = 'aiAuditLens.integrity.hmacKey';

const VERDICT_TEXT: Record<IntegrityReport['verdict'], { icon: string; text: string }> = {
  verified: { icon: '$(verified-filled)', text: 'Verified' },
  partial: { icon: '$(pass)', text: 'Partial chain' },
  tampered: { icon: '$(warning)', text: 'Tampered' },
  unverifiable: { icon: '$(question)', text: 'Unverifiable' },
  'no-chain': { icon: '$(circle-slash)', text: 'No hash chain' },
};

export class IntegrityController implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('aiAuditLens.integrity');
  private readonly status = vscode.window.createStatusBarItem('aiAuditLens.integrity', vscode.StatusBarAlignment.Left, 50);
  private readonly reports = new Map<AuditLogDocument, IntegrityReport>();
  private readonly changed = new vscode.EventEmitter<{ doc: AuditLogDocument; report: IntegrityReport | null; running: boolean; error?: string }>();
  /** Fires when a verification starts or ends (the report panel follows it). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.status.name = 'AI Audit Lens: integrity';
    this.status.command = 'aiAuditLens.showIntegrityReport';
  }

  reportFor(doc: AuditLogDocument): IntegrityReport | undefined {
    return this.reports.get(doc);
  }

  /** Shows the verdict of the focused export in the status bar (hidden when it was not verified). */
  showStatusFor(doc: AuditLogDocument | undefined): void {
    const report = doc ? this.reports.get(doc) : undefined;
    if (!doc || !report) {
      this.status.hide();
      return;
    }
    const v = VERDICT_TEXT[report.verdict];
    const n = report.counts.findings;
    this.status.text = `${v.icon} ${v.text}${report.verdict === 'tampered' ? `: ${n}` : ''}`;
    this.status.tooltip = `AI Audit Lens integrity of ${doc.title}: ${report.summary}\nClick for the report.`;
    this.status.backgroundColor = report.verdict === 'tampered' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.status.show();
  }

  /** The "integrity" section of .auditlens.json (trusted workspaces only), with its paths resolved inside the workspace. */
  private readConfig(doc: AuditLogDocument): { config: IntegrityConfig; note: string | null } {
    const ws = readWorkspaceConfig(doc.uri);
    if (!ws.json || !ws.folder) return { config: {}, note: ws.note };
    const parsed = parseAuditLensFile(ws.json);
    if (!parsed.ok) throw new Error(`.auditlens.json: ${parsed.errors.join('; ')}`);
    const folder = ws.folder;
    const config: IntegrityConfig = { ...parsed.config };
    // Paths in the file are relative to the folder and must stay inside the workspace.
    const resolve = (p: string) => {
      const abs = path.resolve(folder, p);
      if (!insideWorkspace(abs)) throw new Error(`.auditlens.json: ${p} is outside the workspace folders and is not read`);
      return abs;
    };
    if (config.publicKey) config.publicKey = (Array.isArray(config.publicKey) ? config.publicKey : [config.publicKey]).map(resolve);
    if (config.digest && !config.digest.includes('{file}')) config.digest = resolve(config.digest);
    return { config, note: null };
  }

  private async options(doc: AuditLogDocument): Promise<{ options: VerifyRequestOptions; notes: string[] }> {
    const notes: string[] = [];
    const { config, note } = this.readConfig(doc);
    if (note) notes.push(note);
    const settings = vscode.workspace.getConfiguration('aiAuditLens.integrity');
    const publicKeys: string[] = [];
    const keyFile = settings.get<string>('publicKeyFile', '').trim();
    if (keyFile) {
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri)?.uri.fsPath ?? path.dirname(doc.uri.fsPath);
      const abs = path.resolve(folder, keyFile);
      if (!insideWorkspace(abs)) notes.push(`The public key file ${keyFile} is outside the workspace and was not read.`);
      else publicKeys.push(fs.readFileSync(abs, 'utf8'));
    }
    for (const p of [config.publicKey ?? []].flat()) publicKeys.push(fs.readFileSync(p, 'utf8'));
    const secret = await this.secrets.get(SECRET_KEY);
    const digest = config.digest?.includes('{file}') ? config.digest.split('{file}').join(doc.uri.fsPath) : config.digest;
    if (digest && !insideWorkspace(digest)) notes.push(`The digest file ${digest} is outside the workspace and was not read.`);
    return {
      options: {
        profile: settings.get<string>('profile', '') || undefined,
        config: { ...config, publicKey: undefined, digest: undefined },
        hmacKey: secret ? new Uint8Array(Buffer.from(secret, 'utf8')) : undefined,
        publicKeys,
        digest: digest && insideWorkspace(digest) && fs.existsSync(digest) ? digest : undefined,
      },
      notes,
    };
  }

  async setHmacKey(): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      title: 'AI Audit Lens: HMAC key of the keyed hash chain',
      prompt: 'Kept in VS Code SecretStorage on this machine; never written to settings or files.',
      password: true,
      ignoreFocusOut: true,
    });
    if (!value) return false;
    await this.secrets.store(SECRET_KEY, value);
    return true;
  }

  async forgetHmacKey(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    void vscode.window.showInformationMessage('AI Audit Lens: the HMAC key was removed from SecretStorage.');
  }

  async verify(doc: AuditLogDocument): Promise<IntegrityReport | undefined> {
    if (!(await doc.loaded)) return undefined;
    let prepared: { options: VerifyRequestOptions; notes: string[] };
    try {
      prepared = await this.options(doc);
    } catch (err) {
      void vscode.window.showErrorMessage(`AI Audit Lens: ${(err as Error).message}`);
      return undefined;
    }
    prepared.notes.forEach((n) => output().warn(n));
    this.changed.fire({ doc, report: this.reports.get(doc) ?? null, running: true });
    try {
      const report = await doc.requestWithProgress(`AI Audit Lens: verifying ${doc.title}`, { kind: 'verify', options: prepared.options });
      this.reports.set(doc, report);
      this.setDiagnostics(doc, report);
      doc.setAnnotation('Integrity', `${VERDICT_TEXT[report.verdict].text}: ${report.summary}`);
      this.showStatusFor(doc);
      output().info(`integrity of ${doc.title}: ${report.verdict}: ${report.summary}`);
      this.changed.fire({ doc, report, running: false });
      const keyed = report.profileChoice.status === 'needs-key';
      if (keyed) {
        const pick = await vscode.window.showWarningMessage(`AI Audit Lens: ${doc.title} looks like a keyed (HMAC) chain. Enter its key to verify it.`, 'Enter HMAC Key…');
        if (pick && (await this.setHmacKey())) return this.verify(doc);
      }
      return report;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const cancelled = /abort/i.test(message);
      this.changed.fire({ doc, report: this.reports.get(doc) ?? null, running: false, error: cancelled ? 'The verification was cancelled.' : message });
      if (!cancelled) void vscode.window.showErrorMessage(`AI Audit Lens: verifying ${doc.title} failed: ${message}`);
      return undefined;
    }
  }

  /** Findings become warnings (errors for tampering) on the export's own lines. */
  private setDiagnostics(doc: AuditLogDocument, report: IntegrityReport): void {
    for (const uri of doc.uris) this.diagnostics.delete(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const f of report.findings) {
      if (f.class === 'info') continue;
      const uri = f.file ? doc.uris.find((u) => u.fsPath === f.file) ?? doc.uri : doc.uri;
      if (/\.gz$/i.test(uri.path)) continue;
      const line = Math.max(0, f.line - 1);
      const severity = f.severity === 'high' ? vscode.DiagnosticSeverity.Error : f.severity === 'medium' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
      const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), `Integrity (${f.class}): ${f.message}`, severity);
      d.source = 'AI Audit Lens';
      d.code = f.class;
      const list = byFile.get(uri.toString()) ?? [];
      list.push(d);
      byFile.set(uri.toString(), list);
    }
    for (const [key, list] of byFile) this.diagnostics.set(vscode.Uri.parse(key), list);
  }

  forget(doc: AuditLogDocument): void {
    this.reports.delete(doc);
    for (const uri of doc.uris) this.diagnostics.delete(uri);
  }

  dispose(): void {
    this.diagnostics.dispose();
    this.status.dispose();
    this.changed.dispose();
  }
}

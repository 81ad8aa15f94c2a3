#!/usr/bin/env node
// `npm start`: opens the committed sample in VS Code with the extension loaded (the bundle is built by the npm
// script first). Desktop VS Code when `code` is on PATH; otherwise a local code-server from the test harness,
// whose URL is printed; Ctrl+C stops it.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { startCodeServer } from '../test/harness/codeServer.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const samples = path.join(root, 'samples');
const sample = path.join(samples, 'sample.audit.jsonl');

function hasCode() {
  if (process.env.AUDITLENS_START_WITH === 'code-server') return false;
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

if (hasCode()) {
  console.log('Opening the sample in VS Code (desktop) with AI Audit Lens under development…');
  spawn('code', ['--new-window', `--extensionDevelopmentPath=${root}`, samples, sample], { stdio: 'inherit', detached: true }).unref();
} else {
  const port = Number(process.env.AUDITLENS_PORT || 8080);
    // code-server opens the payload's file before extensions register their editors: name the default explicitly.
  const settings = { 'workbench.editorAssociations': { '*.audit.jsonl': 'aiAuditLens.auditLog' } };
  const cs = await startCodeServer({ extensionPath: root, workspace: samples, port, settings });
  console.log(`\nAI Audit Lens is running in code-server (VS Code in the browser). Open:\n\n  ${cs.url({ openFile: sample })}\n`);
  console.log('The sample opens in the AI Audit Lens editor. Press Ctrl+C to stop.');
  const stop = async () => {
    await cs.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

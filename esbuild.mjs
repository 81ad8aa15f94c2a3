// Builds every bundle of the extension:
//   dist/extension.js        the extension host (Node, CommonJS, `vscode` external)
//   dist/dbWorker.js         the database worker (Node worker_thread running sql.js) + dist/sql-wasm.wasm beside it
//   dist/parseWorker.js      the parse worker the database worker starts for each load
//   dist/webview/*.js|.css   the webview bundles (browser, IIFE) and their styles
//   dist/tools/*.js          command-line tools (sample generator)
//   out/test/**              unit and integration test bundles
// Flags: --watch (rebuild on change), --production (minified, no source maps, no tests).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const watch = args.has('--watch');
const production = args.has('--production');
const root = path.dirname(new URL(import.meta.url).pathname);
if (production) {
  // A release build starts from an empty dist/ so no development artefact (source maps, tools) is packaged.
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
} else {
  // Test bundles of deleted or renamed test files must not linger and run.
  fs.rmSync(path.join(root, 'out', 'test'), { recursive: true, force: true });
}

function listTests(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const out = [];
  for (const entry of fs.readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && /\.(test|index)\.ts$|^index\.ts$/.test(entry.name)) {
      out.push(path.join(entry.parentPath ?? entry.path, entry.name));
    }
  }
  return out;
}

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  absWorkingDir: root,
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] };

const copyAssets = {
  name: 'copy-assets',
  setup(build) {
    build.onEnd(() => {
      fs.mkdirSync(path.join(root, 'dist', 'webview'), { recursive: true });
      fs.copyFileSync(
        path.join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'),
        path.join(root, 'dist/sql-wasm.wasm'),
      );
      fs.copyFileSync(
        path.join(root, 'node_modules/@vscode/codicons/dist/codicon.css'),
        path.join(root, 'dist/webview/codicon.css'),
      );
      fs.copyFileSync(path.join(root, 'node_modules/uplot/dist/uPlot.min.css'), path.join(root, 'dist/webview/uPlot.min.css'));
      fs.copyFileSync(
        path.join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'),
        path.join(root, 'dist/webview/codicon.ttf'),
      );
    });
  },
};

const configs = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', plugins: [copyAssets] },
  { ...node, entryPoints: { dbWorker: 'src/worker/dbWorker.ts', parseWorker: 'src/worker/parseWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { 'tools/generate-sample': 'src/tools/generateSample.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { 'webview/overview': 'webview/overview/main.ts', 'webview/timeline': 'webview/timeline/main.ts', 'webview/charts': 'webview/charts/main.ts', 'webview/integrity': 'webview/integrity/main.ts', 'webview/redaction': 'webview/redaction/main.ts', 'webview/query': 'webview/query/main.ts' },
    outdir: 'dist',
  },
];

if (!production) {
  configs.push(
    {
      ...node,
      entryPoints: listTests('test/unit'),
      outbase: 'test',
      outdir: 'out/test',
      external: ['vscode', 'mocha'],
    },
    { ...node, entryPoints: { 'bench/benchApi': 'bench/benchApi.ts', 'bench/integrityApi': 'bench/integrityApi.ts' }, outdir: 'out' },
    {
      ...node,
      entryPoints: listTests('test/integration'),
      outbase: 'test',
      outdir: 'out/test',
      external: ['vscode', 'mocha'],
    },
  );
}

if (watch) {
  const contexts = await Promise.all(configs.filter((c) => c.entryPoints.length !== 0).map((c) => esbuild.context(c)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching for changes');
} else {
  await Promise.all(
    configs
      .filter((c) => !Array.isArray(c.entryPoints) || c.entryPoints.length !== 0)
      .map((c) => esbuild.build({ ...c, logLevel: 'warning' })),
  );
}

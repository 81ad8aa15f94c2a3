// From a logged call to the code: the resolution order (code attributes, stack trace, prompt template), the figures
// per template for the CodeLens, the redacted prompts for the hover, and `audit-lens locate` on a fixture export
// logged by the fixture workspace.
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { locateCommand, type LocateReport } from '../../src/cli/commands/locate';
import type { CliIo } from '../../src/cli/command';
import { emptyEvent, type NormalizedEvent } from '../../src/core/model/normalized';
import { locate, splitPosition, type LocateWorkspace } from '../../src/core/source/locateEvent';
import { buildPathIndex } from '../../src/core/source/pathMapping';
import { buildPromptIndex } from '../../src/core/source/promptMatch';
import { aggregateGroups, aggregateUsage, defaultRedact, formatCompact, formatLatency, formatUsageLabel, formatUsd, recentPrompts, type MatchedCall } from '../../src/core/source/promptUsage';
import { listWorkspaceFiles, readPromptFiles } from '../../src/core/source/workspaceScan';

const repo = path.resolve(__dirname, '..', '..', '..');
const wasm = path.join(repo, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const fixture = path.join(repo, 'test', 'fixtures', 'source-workspace');
const project = path.join(fixture, 'project');
const exportsDir = path.join(fixture, 'exports');

function workspace(): LocateWorkspace {
  const files = listWorkspaceFiles(project);
  return { paths: buildPathIndex([{ root: project, files }]), prompts: buildPromptIndex(readPromptFiles(project, files)) };
}

function event(init: { code?: Partial<NonNullable<NormalizedEvent['code']>>; system?: string; user?: string[] }): NormalizedEvent {
  const ev = emptyEvent({ fileIndex: 0, line: 1, byteOffset: 0, byteLength: 0, index: 0 }, 'llm', 'llm.call');
  if (init.code) ev.code = { file: null, line: null, function: null, stacktrace: null, ...init.code };
  ev.content.system = init.system ?? null;
  ev.content.input = (init.user ?? []).map((content) => ({ role: 'user', content }));
  return ev;
}

const BOT_SYSTEM = `You are the customer support assistant for Globex.
Answer only from the knowledge base excerpts you are given, and cite the excerpt id in brackets.
If the answer is not in the excerpts, say that you do not know and offer to open a ticket.
Write in a formal tone and never promise refunds or delivery dates.`;
const NODE_STACK = `Error: trace
    at Completions.create (/srv/acme/node_modules/openai/resources/chat/completions.js:88:34)
    at async summarize (/srv/acme/src/support/summarize.js:16:20)`;

describe('locate: the resolution order', () => {
  const ws = workspace();

  it('uses the code attributes first, mapped by path', () => {
    const r = locate(event({ code: { file: '/srv/acme/src/support/bot.ts', line: 17, function: 'answerQuestion', stacktrace: NODE_STACK }, system: BOT_SYSTEM }), ws);
    assert.deepEqual(r.candidates.map((c) => [c.method, c.file, c.line, c.function, c.score]), [['attribute', 'src/support/bot.ts', 17, 'answerQuestion', 1]]);
    assert.equal(r.candidates[0].absolutePath, path.join(project, 'src', 'support', 'bot.ts'));
    assert.deepEqual(r.steps.map((s) => s.method), ['attribute']);
  });

  it('falls back to the stack trace when the logged file is not in the workspace, then to the prompt', () => {
    const viaStack = locate(event({ code: { file: '/srv/other/worker.go', line: 3, stacktrace: NODE_STACK }, system: BOT_SYSTEM }), ws);
    assert.deepEqual(viaStack.candidates.map((c) => [c.method, c.file, c.line, c.column, c.function]), [['stacktrace', 'src/support/summarize.js', 16, 20, 'summarize']]);
    assert.match(viaStack.steps[0].outcome, /not in the workspace/);
    const viaPrompt = locate(event({ code: { file: '/srv/other/worker.go' }, system: BOT_SYSTEM }), ws);
    assert.deepEqual(viaPrompt.candidates.map((c) => [c.method, c.file, c.line, c.column, c.promptSource]).slice(0, 1), [['template', 'src/support/bot.ts', 9, 10, 'system']]);
    assert.deepEqual(viaPrompt.steps.map((s) => s.method), ['attribute', 'stacktrace', 'template']);
  });

  it('matches the system prompt before user messages, and user messages when there is no system match', () => {
    const user = 'Refund request from Ann Lee:\nThe zip of my jacket broke after a week.';
    const both = locate(event({ system: BOT_SYSTEM, user: [user] }), ws);
    assert.equal(both.candidates[0].promptSource, 'system');
    const userOnly = locate(event({ system: 'You are a pirate.', user: ['hello there', user] }), ws);
    assert.deepEqual(userOnly.candidates.map((c) => [c.file, c.line, c.promptSource]), [['prompts/refund.prompty', 20, 'user']]);
  });

  it('reads "file:line" from a logged file, and the function alone is not enough', () => {
    assert.deepEqual(splitPosition('src/bot.ts:12:3'), { path: 'src/bot.ts', line: 12, column: 3 });
    assert.deepEqual(splitPosition('C:\\x\\bot.ts'), { path: 'C:\\x\\bot.ts', line: null, column: null });
    const r = locate(event({ code: { file: 'app/agents/router.py:18' } }), ws);
    assert.deepEqual(r.candidates.map((c) => [c.file, c.line]), [['app/agents/router.py', 18]]);
    const fnOnly = locate(event({ code: { function: 'route' } }), ws);
    assert.deepEqual(fnOnly.candidates, []);
    assert.match(fnOnly.steps[0].outcome, /function \(route\) but no file/);
  });

  it('says why a call is unattributed, and runs every method with exhaustive', () => {
    const r = locate(event({ code: { file: '/etc/passwd', stacktrace: 'Error\n    at x (/app/node_modules/y/index.js:1:1)' }, system: 'You are a pirate.' }), ws);
    assert.deepEqual(r.candidates, []);
    assert.deepEqual(r.steps.map((s) => s.outcome), ['logged file /etc/passwd is not in the workspace', '1 frames, all in dependencies', 'no template matches the system prompt']);
    const all = locate(event({ code: { file: 'src/support/summarize.js', line: 16, stacktrace: NODE_STACK }, user: [] }), ws, { exhaustive: true });
    assert.deepEqual(all.candidates.map((c) => c.method), ['attribute', 'stacktrace']);
  });

  it('passes over dependencies: a logged SDK file, and workspace copies in node_modules or vendor/', () => {
    const paths = buildPathIndex([{ root: '/w', files: ['node_modules/openai/core.js', 'src/core.js', 'vendor/acme/x.go', 'internal/llm/client.go'] }]);
    const sdk = locate(event({ code: { file: '/app/node_modules/openai/core.js', line: 3 } }), { paths });
    assert.deepEqual(sdk.candidates, []);
    assert.match(sdk.steps[0].outcome, /inside a dependency/);
    const app = locate(event({ code: { file: '/build/lib/core.js', line: 3 } }), { paths });
    assert.deepEqual(app.candidates.map((c) => c.file), ['src/core.js']);
    const go = locate(event({ code: { file: 'internal/llm/client.go', line: 57 } }), { paths });
    assert.deepEqual(go.candidates.map((c) => [c.file, c.line]), [['internal/llm/client.go', 57]]);
    const stack = locate(event({ code: { stacktrace: 'main.run()\n\t/build/vendor/acme/x.go:3 +0x1\nio.github.acme/bot/internal/llm.Complete()\n\t/build/internal/llm/client.go:57 +0x1d' } }), { paths });
    assert.deepEqual(stack.candidates.map((c) => [c.method, c.file, c.function]), [['stacktrace', 'internal/llm/client.go', 'io.github.acme/bot/internal/llm.Complete']]);
  });

  it('never returns a template candidate whose file is not in the workspace file list', () => {
    const paths = buildPathIndex([{ root: '/w', files: ['src/a.ts'] }]);
    const prompts = buildPromptIndex([
      { path: 'src/a.ts', text: 'const a = "You are the first assistant of the test suite.";', folder: 0 },
      { path: '../outside.ts', text: 'const b = "You are the first assistant of the test suite.";', folder: 0 },
      { path: 'src/other.ts', text: 'const c = "You are the first assistant of the test suite.";', folder: 0 },
      { path: 'src/a.ts', text: 'const d = "You are the first assistant of the test suite.";', folder: 3 },
    ]);
    const r = locate(event({ system: 'You are the first assistant of the test suite.' }), { paths, prompts });
    assert.deepEqual(r.candidates.map((c) => [c.folder, c.file, c.absolutePath]), [[0, 'src/a.ts', '/w/src/a.ts']]);
  });
});

describe('prompt usage: figures per template for the CodeLens', () => {
  const loc = { file: 'src/support/bot.ts', line: 9, column: 10 };

  it('aggregates per location (each call once) and formats "AI Audit: 1,240 calls · 2.1M tokens · $18.40 · p95 2.3 s · 3 flagged"', () => {
    const calls: MatchedCall[] = [];
    for (let i = 0; i < 1240; i++) {
      calls.push({
        location: loc,
        rowid: i + 1,
        inputTokens: 1500,
        outputTokens: i < 1000 ? 200 : 100,
        costUsd: i < 1000 ? 0.0184 : null,
        latencyMs: i < 1170 ? 900 : 2300,
        flagged: i % 400 === 0,
      });
    }
    calls.push({ ...calls[0] }); // the same call attributed twice counts once
    calls.push({ location: { file: 'app/agents/triage.py', line: 8 }, rowid: 5000, inputTokens: 10, outputTokens: null, costUsd: 0.00004, latencyMs: 640, flagged: false });
    const [triage, bot] = aggregateUsage(calls);
    assert.deepEqual(
      [bot.calls, bot.inputTokens, bot.outputTokens, bot.tokens, bot.pricedCalls, bot.unpricedCalls, bot.latencyP95Ms, bot.flagged, bot.rowids.length],
      [1240, 1_860_000, 224_000, 2_084_000, 1000, 240, 2300, 4, 1240],
    );
    assert.ok(Math.abs(bot.costUsd - 18.4) < 1e-9);
    assert.equal(formatUsageLabel({ ...bot, flagged: 3 }), 'AI Audit: 1,240 calls · 2.1M tokens · $18.40 · p95 2.3 s · 3 flagged');
    assert.equal(formatUsageLabel(triage), 'AI Audit: 1 call · 10 tokens · $0.00004 · p95 640 ms');
    assert.equal(formatUsageLabel({ ...triage, pricedCalls: 0, latencyP95Ms: null }), 'AI Audit: 1 call · 10 tokens');
    // the same from calls grouped by location
    const grouped = aggregateGroups([{ location: loc, calls: calls.filter((c) => c.location === loc).map(({ location: _l, ...figures }) => figures) }]);
    assert.deepEqual(grouped, [bot]);
  });

  it('formats tokens, dollars and latencies', () => {
    assert.deepEqual([950, 1000, 45_210, 312_000, 999_999, 2_084_000, 1_200_000_000].map(formatCompact), ['950', '1K', '45.2K', '312K', '1M', '2.1M', '1.2B']);
    assert.deepEqual([18.4, 1234.5, 0, 0.00412].map(formatUsd), ['$18.40', '$1,234.50', '$0.00', '$0.00412']);
    assert.deepEqual([850, 2300, 125_000].map(formatLatency), ['850 ms', '2.3 s', '125 s']);
  });

  it('shows the latest prompts redacted (default: e-mail addresses and digit runs), cut after redaction', async () => {
    const prompts = [
      { rowid: 1, ts: '2026-11-02T09:00:00Z', text: 'old one' },
      { rowid: 2, ts: '2026-11-02T09:05:00Z', text: 'Mail ann.lee@example.com or call +1 (555) 123-4567 about order 1042, item 7.' },
      { rowid: 3, ts: '2026-11-02T09:03:00Z', text: 'Card 4111 1111 1111 1111 please' },
      { rowid: 4, ts: '2026-11-02T09:04:00Z', text: 'x'.repeat(1000) },
    ];
    const recent = await recentPrompts(prompts);
    assert.deepEqual(recent.map((p) => p.rowid), [2, 4, 3]);
    assert.equal(recent[0].text, 'Mail [email] or call [number] about order [number], item 7.');
    assert.equal(recent[1].text.length, 400);
    assert.equal(recent[2].text, 'Card [number] please');
    assert.equal(defaultRedact('no secrets in 2 words'), 'no secrets in 2 words');
    const custom = await recentPrompts(prompts, { limit: 1, redact: async (t) => t.replace(/order \d+/, 'order ▇') });
    assert.deepEqual(custom.map((p) => p.text), ['Mail ann.lee@example.com or call +1 (555) 123-4567 about order ▇, item 7.']);
  });
});

describe('workspace scan', () => {
  it('lists the fixture project, and skips dependency folders and symbolic links', () => {
    const files = listWorkspaceFiles(project);
    assert.ok(files.includes('src/support/bot.ts') && files.includes('prompts/refund.prompty') && files.includes('app/agents/router.py'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-source-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'You are the secret prompt that lives outside the workspace.');
    fs.mkdirSync(path.join(dir, 'node_modules', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'lib', 'index.js'), 'const p = "You are a prompt inside a dependency folder.";');
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.ts'), 'const p = "You are the prompt of the workspace itself.";');
    fs.symlinkSync(outside, path.join(dir, 'linked-dir'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(dir, 'src', 'linked.txt'));
    try {
      const listed = listWorkspaceFiles(dir);
      assert.deepEqual(listed, ['src/a.ts']);
      // Even when told about them, the reader does not open linked files.
      const read = readPromptFiles(dir, ['src/a.ts', 'src/linked.txt', 'linked-dir/secret.txt', '../outside/secret.txt']);
      assert.deepEqual(read.map((f) => f.path), ['src/a.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('audit-lens locate', function () {
  this.timeout(20_000);

  function capture(): CliIo & { stdout: string; stderr: string } {
    const io = { stdout: '', stderr: '', wasmPath: wasm, out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
    return io;
  }
  const exports = [path.join(exportsDir, 'calls.audit.jsonl'), path.join(exportsDir, 'traces.otlp.jsonl')];

  it('attributes every logged LLM call of the fixture exports (JSON)', async () => {
    const io = capture();
    const code = await locateCommand.run([...exports, '--workspace', project, '--json'], io);
    assert.equal(code, 0, io.stderr);
    const report = JSON.parse(io.stdout) as LocateReport;
    const got = Object.fromEntries(
      report.calls.map((c) => [c.id, c.attribution ? `${c.attribution.method} ${c.attribution.file}:${c.attribution.line}${c.attribution.promptSource ? ` ${c.attribution.promptSource}` : ''}` : 'unattributed']),
    );
    assert.deepEqual(got, {
      call_attr_posix: 'attribute src/support/bot.ts:17',
      call_attr_windows: 'attribute app/agents/triage.py:15',
      call_node_stack: 'stacktrace src/support/summarize.js:16',
      call_python_stack: 'stacktrace app/agents/router.py:18',
      call_tpl_triage: 'template app/agents/triage.py:8 system',
      call_tpl_prompty: 'template prompts/refund.prompty:14 system',
      call_tpl_user: 'template src/support/summarize.js:14 user',
      call_tpl_jinja: 'template prompts/escalation.jinja:1 system',
      call_hostile_path: 'template src/support/bot.ts:9 system',
      call_unattributed: 'unattributed',
      a1a1a1a1a1a1a1a1: 'attribute app/agents/router.py:18',
      b2b2b2b2b2b2b2b2: 'stacktrace src/support/bot.ts:17',
      c3c3c3c3c3c3c3c3: 'template app/agents/triage.py:8 system',
      d4d4d4d4d4d4d4d4: 'attribute src/support/summarize.js:16',
    });
    assert.deepEqual(report.totals, { calls: 14, attribute: 4, stacktrace: 3, template: 6, unattributed: 1 });
    // Every attribution is a file inside the workspace.
    for (const c of report.calls) {
      for (const cand of c.candidates) {
        assert.ok(fs.existsSync(cand.absolutePath) && fs.realpathSync(cand.absolutePath).startsWith(fs.realpathSync(project) + path.sep), cand.absolutePath);
      }
    }
    const hostile = report.calls.find((c) => c.id === 'call_hostile_path')!;
    assert.match(hostile.steps[0].outcome, /etc\/passwd is not in the workspace/);
    const python = report.calls.find((c) => c.id === 'call_python_stack')!;
    assert.equal(python.attribution!.function, 'route');
  });

  it('prints one line per call in text, with the reasons for an unattributed call', async () => {
    const io = capture();
    assert.equal(await locateCommand.run([exports[0], '--workspace', project], io), 0, io.stderr);
    const lines = io.stdout.split('\n');
    assert.match(lines.find((l) => l.includes('call_attr_posix'))!, /^calls\.audit\.jsonl:2\s+call_attr_posix\s+src\/support\/bot\.ts:17\s+code attribute in answerQuestion\s+1\.00$/);
    assert.match(lines.find((l) => l.includes('call_node_stack'))!, /src\/support\/summarize\.js:16:20\s+stack trace in summarize/);
    assert.match(lines.find((l) => l.includes('call_tpl_prompty'))!, /prompts\/refund\.prompty:14\s+template match \(system prompt\)\s+0\.\d\d$/);
    assert.match(lines.find((l) => l.includes('call_unattributed'))!, /call_unattributed\s+unattributed$/);
    assert.ok(io.stdout.includes('stack trace: none of the 3 application frame(s) is in the workspace'));
    assert.ok(io.stdout.includes('10 LLM calls: 2 by code attribute, 2 by stack trace, 5 by template match, 1 unattributed'));
    assert.ok(!io.stdout.includes('evt_tool') && !io.stdout.includes('evt_session'));
  });

  it('refuses bad arguments', async () => {
    await assert.rejects(locateCommand.run([], capture()), /give at least one FILE/);
    await assert.rejects(locateCommand.run([exports[0]], capture()), /--workspace DIR/);
    const io = capture();
    assert.equal(await locateCommand.run([exports[0], '--workspace', path.join(fixture, 'no-such-dir')], io), 2);
    assert.match(io.stderr, /no such folder/);
    const io2 = capture();
    assert.equal(await locateCommand.run([path.join(exportsDir, 'missing.jsonl'), '--workspace', project], io2), 2);
    assert.match(io2.stderr, /no such file/);
  });
});

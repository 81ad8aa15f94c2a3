// Stack traces as logged by Node, Python, Java, .NET and Go: frames innermost first, dependency frames marked,
// the first application frame found.
import * as assert from 'node:assert/strict';
import { applicationFrames, isDependencyPath, parseStackTrace } from '../../src/core/source/stackTrace';

const brief = (f: { file: string | null; line: number | null; function: string | null } | null) => (f ? `${f.function ?? '?'} ${f.file}:${f.line}` : null);

describe('stack traces: Node / JavaScript', () => {
  const trace = `Error: 429 Rate limit reached for gpt-4o-mini
    at APIError.generate (/usr/src/app/node_modules/openai/error.js:62:20)
    at OpenAI.makeStatusError (/usr/src/app/node_modules/.pnpm/openai@4.77.0/node_modules/openai/core.js:293:33)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at Array.forEach (<anonymous>)
    at new Promise (<anonymous>)
    at eval (eval at compile (/usr/src/app/src/templating.js:10:5), <anonymous>:1:1)
    at async Promise.all (index 0)
    at async SupportBot.answer [as reply] (/usr/src/app/dist/support/bot.js:41:22)
    at async /usr/src/app/dist/server.js:12:5
    at Layer.handle [as handle_request] (/usr/src/app/node_modules/express/lib/router/layer.js:95:5)`;

  it('reads every frame with its function, file, line and column, innermost first', () => {
    const { frames, language } = parseStackTrace(trace);
    assert.equal(language, 'node');
    assert.deepEqual(
      frames.map((f) => [f.function, f.file, f.line, f.column, f.dependency]),
      [
        ['APIError.generate', '/usr/src/app/node_modules/openai/error.js', 62, 20, true],
        ['OpenAI.makeStatusError', '/usr/src/app/node_modules/.pnpm/openai@4.77.0/node_modules/openai/core.js', 293, 33, true],
        ['process.processTicksAndRejections', 'node:internal/process/task_queues', 95, 5, true],
        ['Array.forEach', null, null, null, true],
        ['new Promise', null, null, null, true],
        ['eval', null, null, null, true],
        ['SupportBot.answer', '/usr/src/app/dist/support/bot.js', 41, 22, false],
        [null, '/usr/src/app/dist/server.js', 12, 5, false],
        ['Layer.handle', '/usr/src/app/node_modules/express/lib/router/layer.js', 95, 5, true],
      ],
    );
  });

  it('returns the first application frame, skipping node_modules, node:internal, <anonymous> and eval', () => {
    assert.equal(brief(parseStackTrace(trace).firstApplicationFrame), 'SupportBot.answer /usr/src/app/dist/support/bot.js:41');
    assert.deepEqual(applicationFrames(trace).map((f) => f.file), ['/usr/src/app/dist/support/bot.js', '/usr/src/app/dist/server.js']);
  });

  it('reads Windows paths, file:// URLs (ES modules) and browser frames', () => {
    const win = parseStackTrace(`TypeError: x is undefined
    at Object.<anonymous> (C:\\build\\acme\\src\\bot.js:7:13)
    at Module._compile (node:internal/modules/cjs/loader:1554:14)`);
    assert.equal(brief(win.firstApplicationFrame), 'Object.<anonymous> C:\\build\\acme\\src\\bot.js:7');
    const esm = parseStackTrace('Error\n    at answer (file:///srv/app/src/bot.mjs:22:9)\n    at file:///srv/app/node_modules/p-retry/index.js:50:18');
    assert.equal(brief(esm.firstApplicationFrame), 'answer file:///srv/app/src/bot.mjs:22');
    assert.equal(esm.frames[1].dependency, true);
    const gecko = parseStackTrace('answer@https://app.example.com/static/js/main.4f2a.js:1:2045\n@https://app.example.com/static/js/vendor/react.js:3:10');
    assert.equal(brief(gecko.firstApplicationFrame), 'answer https://app.example.com/static/js/main.4f2a.js:1');
    assert.equal(gecko.frames[1].dependency, true);
  });

  it('gives no application frame when every frame is in a dependency', () => {
    const only = parseStackTrace('Error: boom\n    at f (/app/node_modules/a/index.js:1:1)\n    at node:internal/main/run_main_module:28:49');
    assert.equal(only.frames.length, 2);
    assert.equal(only.firstApplicationFrame, null);
  });
});

describe('stack traces: Python', () => {
  const trace = `Traceback (most recent call last):
  File "/srv/acme/app/main.py", line 8, in main
    route(ticket)
  File "<frozen runpy>", line 198, in _run_module_as_main
  File "/srv/acme/app/agents/router.py", line 18, in route
    note = client.chat.completions.create(
  File "/usr/lib/python3.11/functools.py", line 909, in wrapper
    return dispatch(args[0].__class__)(*args, **kw)
  File "/srv/acme/.venv/lib/python3.11/site-packages/openai/_utils/_utils.py", line 279, in wrapper
    return func(*args, **kwargs)
  File "/usr/local/lib/python3.12/dist-packages/httpx/_client.py", line 1015, in send
    raise exc
openai.APITimeoutError: Request timed out.`;

  it('reverses the frames (Python prints the innermost last) and marks site-packages, dist-packages, the standard library and <frozen> frames', () => {
    const { frames, language, firstApplicationFrame } = parseStackTrace(trace);
    assert.equal(language, 'python');
    assert.deepEqual(
      frames.map((f) => [f.function, f.file, f.line, f.dependency]),
      [
        ['send', '/usr/local/lib/python3.12/dist-packages/httpx/_client.py', 1015, true],
        ['wrapper', '/srv/acme/.venv/lib/python3.11/site-packages/openai/_utils/_utils.py', 279, true],
        ['wrapper', '/usr/lib/python3.11/functools.py', 909, true],
        ['route', '/srv/acme/app/agents/router.py', 18, false],
        ['_run_module_as_main', null, 198, true],
        ['main', '/srv/acme/app/main.py', 8, false],
      ],
    );
    assert.equal(brief(firstApplicationFrame), 'route /srv/acme/app/agents/router.py:18');
  });

  it('reads chained exceptions and Windows installs', () => {
    const chained = `Traceback (most recent call last):
  File "C:\\Users\\dev\\acme\\app\\client.py", line 12, in call
    return http.post(url)
  File "C:\\Python311\\Lib\\http\\client.py", line 1300, in request
ConnectionError: reset

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "C:\\Users\\dev\\acme\\app\\bot.py", line 40, in answer
    text = call(prompt)
  File "C:\\Users\\dev\\acme\\app\\client.py", line 14, in call
    raise LLMError() from e
app.client.LLMError`;
    const parsed = parseStackTrace(chained);
    assert.equal(brief(parsed.firstApplicationFrame), 'call C:\\Users\\dev\\acme\\app\\client.py:14');
    assert.ok(parsed.frames.find((f) => f.file === 'C:\\Python311\\Lib\\http\\client.py')!.dependency);
  });
});

describe('stack traces: Java, .NET, Go', () => {
  it('Java: the package gives the directory; JDK, reflection, Spring and Kotlin frames are dependencies', () => {
    const trace = `com.openai.errors.RateLimitException: 429: Rate limit reached
\tat com.openai.core.handlers.ErrorHandler.handle(ErrorHandler.kt:88)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat sun.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
\tat com.acme.support.SupportBot$Replies.answer(SupportBot.java:57)
\tat com.acme.support.web.ChatController.post(ChatController.java:31)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat kotlinx.coroutines.DispatchedTask.run(DispatchedTask.kt:108)
Caused by: java.net.SocketTimeoutException: timeout
\tat okhttp3.internal.http2.Http2Stream.waitForIo(Http2Stream.kt:675)
\t... 42 more`;
    const { frames, language, firstApplicationFrame } = parseStackTrace(trace);
    assert.equal(language, 'java');
    assert.equal(frames.length, 9);
    assert.deepEqual([firstApplicationFrame!.file, firstApplicationFrame!.line, firstApplicationFrame!.function], ['com/acme/support/SupportBot.java', 57, 'com.acme.support.SupportBot$Replies.answer']);
    assert.deepEqual(frames.filter((f) => !f.dependency).map((f) => f.file), ['com/acme/support/SupportBot.java', 'com/acme/support/web/ChatController.java']);
    assert.equal(frames.find((f) => f.raw.includes('Native Method'))!.file, null);
  });

  it('.NET: "in PATH:line N"; System., Microsoft. and async state machine frames without a file', () => {
    const trace = `System.ClientModel.ClientResultException: HTTP 429 (insufficient_quota)
   at System.ClientModel.Primitives.ClientPipeline.Send(PipelineMessage message)
   at OpenAI.Chat.ChatClient.CompleteChatAsync(IEnumerable\`1 messages, ChatCompletionOptions options, CancellationToken cancellationToken)
   at Acme.Support.SupportBot.AnswerAsync(String question) in C:\\src\\Acme.Support\\SupportBot.cs:line 42
--- End of stack trace from previous location ---
   at Acme.Support.SupportBot.<AnswerAsync>d__5.MoveNext() in /home/runner/work/acme/src/Acme.Support/SupportBot.cs:line 44
   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.Execute(ActionContext context)
   at Acme.Web.ChatController.Post(ChatRequest request) in C:\\src\\Acme.Web\\ChatController.cs:line 19`;
    const { frames, language, firstApplicationFrame } = parseStackTrace(trace);
    assert.equal(language, 'dotnet');
    assert.equal(frames.length, 6);
    assert.deepEqual([firstApplicationFrame!.file, firstApplicationFrame!.line, firstApplicationFrame!.function], ['C:\\src\\Acme.Support\\SupportBot.cs', 42, 'Acme.Support.SupportBot.AnswerAsync']);
    assert.deepEqual(frames.map((f) => f.dependency), [true, true, false, false, true, false]);
  });

  it('Go: a function line then its file line; runtime, GOROOT, the module cache and vendor/ are dependencies', () => {
    const trace = `goroutine 42 [running]:
runtime/debug.Stack()
\t/usr/local/go/src/runtime/debug/stack.go:26 +0x5e
github.com/sashabaranov/go-openai.(*Client).CreateChatCompletion(0xc0001a2000, {0x1029c40, 0xc000120000}, {{0xc00001e0a8, 0xb}, {0xc000180000, 0x2, 0x2}})
\t/root/go/pkg/mod/github.com/sashabaranov/go-openai@v1.36.1/chat.go:382 +0x2b4
github.com/acme/support/vendor/github.com/pkg/errors.Wrap(...)
\t/build/vendor/github.com/pkg/errors/errors.go:184
github.com/acme/support/internal/bot.(*Bot).Answer(0xc00014a000, {0x102a1e0, 0xc000120000}, {0xc000022120, 0x1c})
\t/build/internal/bot/bot.go:57 +0x1d
main.main()
\t/build/cmd/server/main.go:31 +0x25
created by net/http.(*Server).Serve in goroutine 1
\t/usr/local/go/src/net/http/server.go:3285 +0x4b4`;
    const { frames, language, firstApplicationFrame } = parseStackTrace(trace);
    assert.equal(language, 'go');
    assert.deepEqual(
      frames.map((f) => [f.function, f.line, f.dependency]),
      [
        ['runtime/debug.Stack', 26, true],
        ['github.com/sashabaranov/go-openai.(*Client).CreateChatCompletion', 382, true],
        ['github.com/acme/support/vendor/github.com/pkg/errors.Wrap', 184, true],
        ['github.com/acme/support/internal/bot.(*Bot).Answer', 57, false],
        ['main.main', 31, false],
        ['net/http.(*Server).Serve', 3285, true],
      ],
    );
    assert.equal(firstApplicationFrame!.file, '/build/internal/bot/bot.go');
  });
});

describe('stack traces: edge cases', () => {
  it('reads nothing from empty or unrelated text, and does not take messages for frames', () => {
    for (const text of [null, undefined, '', 'just a message', 'at the end of the day', 'Error: something failed at step 3']) {
      assert.deepEqual(parseStackTrace(text).frames, [], String(text));
    }
  });

  it('knows dependency paths', () => {
    const deps = [
      '/app/node_modules/openai/index.js', 'node:internal/process/task_queues', 'C:\\app\\node_modules\\x\\y.js', '<anonymous>',
      '/srv/.venv/lib/python3.11/site-packages/openai/_client.py', '/usr/lib/python3/dist-packages/requests/api.py', '/usr/lib/python3.11/json/decoder.py',
      '/home/u/.pyenv/versions/3.12.1/lib/python3.12/asyncio/runners.py', '/usr/local/go/src/runtime/panic.go', '/root/go/pkg/mod/golang.org/x/net@v0.1.0/http2/transport.go',
      '/build/vendor/github.com/pkg/errors/errors.go', 'file:///app/node_modules/x/index.js', '/app/.yarn/cache/openai-npm-4.0.0/index.js',
    ];
    for (const p of deps) assert.equal(isDependencyPath(p), true, p);
    for (const p of ['/app/src/bot.ts', 'C:\\build\\src\\bot.ts', '/srv/acme/app/agents/router.py', '/build/internal/bot/bot.go', 'src/vendors.ts', '/app/lib/pythonic.py']) {
      assert.equal(isDependencyPath(p), false, p);
    }
  });
});

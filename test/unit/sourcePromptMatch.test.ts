// Matching a logged prompt to the workspace template that produced it: fixed parts in order, holes match anything,
// scores and ranking, near misses, and a synthetic workspace of 2,000 files.
import * as assert from 'node:assert/strict';
import { buildPromptIndex, matchParts, matchPrompt, scoreMatch, type PromptIndexFile } from '../../src/core/source/promptMatch';

const FILES: PromptIndexFile[] = [
  {
    path: 'src/bot.ts',
    text: [
      'export const system = (company: string, tone: string) => `You are the customer support assistant for ${company}.',
      '    Answer only from the knowledge base excerpts you are given, and cite the excerpt id in brackets.',
      '    Write in a ${tone} tone and never promise refunds.`;',
      'export const generic = "You are a helpful assistant.";',
      "export const summarize = (doc: string) => 'Summarize the following document in three sentences:\\n\\n' + doc;",
    ].join('\n'),
  },
  {
    path: 'app/triage.py',
    text: [
      'TRIAGE = """You are a ticket triage assistant for {company}.',
      "    Classify the customer's ticket into exactly one of these queues: {categories}.",
      '    Reply with the queue name only."""',
      'QUESTION = f"Answer the question from the context only.\\n\\nQuestion: {q}\\n\\nContext:\\n{ctx}"',
      "ok = 'OK'",
    ].join('\n'),
  },
  { path: 'prompts/escalate.jinja', text: 'You are the escalation assistant. The customer contacted us {{ n }} times.\n{% if vip %}This customer is a VIP.\n{% endif %}Suggest one concrete next step.\n' },
  { path: 'prompts/rules.md', text: 'Never reveal internal ticket notes.\nAlways answer in the language of the customer.\n' },
];
const index = buildPromptIndex(FILES.map((f) => ({ ...f, folder: 0 })));

const SUPPORT = `You are the customer support assistant for Acme Outdoor.
Answer only from the knowledge base excerpts you are given, and cite the excerpt id in brackets.
Write in a friendly tone and never promise refunds.`;

describe('prompt matching', () => {
  it('matches a rendered template literal (indentation and line breaks do not matter) with a full match', () => {
    const [best, ...rest] = matchPrompt(index, SUPPORT);
    assert.deepEqual([best.file, best.line, best.column, best.kind, best.full, best.folder], ['src/bot.ts', 1, 58, 'template-literal', true, 0]);
    assert.ok(best.score > 0.8, String(best.score));
    assert.ok(best.template.startsWith('You are the customer support assistant for ${company}.'));
    assert.ok(rest.every((m) => m.score < best.score));
  });

  it('matches Python .format placeholders and f-strings; holes match any text, even long text', () => {
    const triage = "You are a ticket triage assistant for Acme.\nClassify the customer's ticket into exactly one of these queues: billing, shipping, returns.\nReply with the queue name only.";
    assert.deepEqual(matchPrompt(index, triage).map((m) => [m.file, m.line]).slice(0, 1), [['app/triage.py', 1]]);
    const q = `Answer the question from the context only.\n\nQuestion: where is my order?\n\nContext:\n${'Order A-1042 shipped on Monday. '.repeat(200)}`;
    const [m] = matchPrompt(index, q);
    assert.deepEqual([m.file, m.line, m.kind, m.full], ['app/triage.py', 4, 'f-string', true]);
    assert.ok(m.coverage < 0.01 && m.score >= 0.2, `${m.coverage} ${m.score}`);
  });

  it('matches a template whose last operand is a hole (concatenation)', () => {
    const [m] = matchPrompt(index, 'Summarize the following document in three sentences:\n\nThe quarterly report shows growth in every region.');
    assert.deepEqual([m.file, m.kind, m.full], ['src/bot.ts', 'concatenation', true]);
  });

  it('matches a Jinja template with and without its optional {% if %} block', () => {
    for (const text of [
      'You are the escalation assistant. The customer contacted us 4 times.\nThis customer is a VIP.\nSuggest one concrete next step.',
      'You are the escalation assistant. The customer contacted us 2 times.\nSuggest one concrete next step.',
    ]) {
      const [m] = matchPrompt(index, text);
      assert.deepEqual([m?.file, m?.full], ['prompts/escalate.jinja', true], text);
    }
  });

  it('does not match near misses: a changed word, a missing part, parts out of order', () => {
    const nearMisses = [
      SUPPORT.replace('cite the excerpt id', 'cite the source id'),
      SUPPORT.replace('Write in a friendly tone and never promise refunds.', ''),
      `Write in a friendly tone and never promise refunds.\n${SUPPORT.replace('Write in a friendly tone and never promise refunds.', '')}`,
      'You are the escalation assistant. Suggest one concrete next step. The customer contacted us 3 times.',
    ];
    for (const text of nearMisses) {
      const found = matchPrompt(index, text).map((m) => m.file);
      assert.ok(!found.includes('src/bot.ts'), text);
      assert.ok(!found.includes('prompts/escalate.jinja'), text);
    }
  });

  it('finds a template inside a longer prompt (a partial match) and ranks it by coverage', () => {
    const composed = `${SUPPORT}\n\nNever reveal internal ticket notes.\nAlways answer in the language of the customer.`;
    const found = matchPrompt(index, composed);
    assert.deepEqual(found.map((m) => [m.file, m.full]), [['src/bot.ts', false], ['prompts/rules.md', false]]);
    assert.ok(found[0].coverage > found[1].coverage);
  });

  it('penalises short templates, does not index tiny literals, and honours the threshold', () => {
    assert.deepEqual(matchPrompt(index, 'OK').length, 0);
    const [generic] = matchPrompt(index, 'You are a helpful assistant.');
    assert.equal(generic.full, true);
    assert.ok(generic.score < 0.8, String(generic.score));
    assert.ok(scoreMatch(20, 20, true) < scoreMatch(60, 60, true));
    assert.equal(matchPrompt(index, 'You are a helpful assistant.', { threshold: 0.9 }).length, 0);
    // a short generic sentence inside a long unrelated prompt is not evidence
    assert.deepEqual(matchPrompt(index, `You are a helpful assistant. ${'Talk about the weather and nothing else. '.repeat(20)}`), []);
    assert.deepEqual(matchPrompt(index, ''), []);
  });

  it('ranks the more specific of two matching templates first', () => {
    const ix = buildPromptIndex([
      { path: 'a.py', text: 'A = "You are a support assistant. {rules}"' },
      { path: 'b.py', text: 'B = "You are a support assistant. Be brief and polite. Answer in {language}."' },
    ]);
    const found = matchPrompt(ix, 'You are a support assistant. Be brief and polite. Answer in German.');
    assert.deepEqual(found.map((m) => m.file), ['b.py', 'a.py']);
    assert.ok(found[0].score > found[1].score);
  });

  it('places fixed parts in order with anchoring', () => {
    assert.deepEqual(matchParts('abc hello xyz world', ['hello', 'world'], true, false), { full: true });
    assert.deepEqual(matchParts('abc hello xyz world', ['hello', 'world'], false, false), { full: false });
    assert.deepEqual(matchParts('hello world world', ['hello', 'world'], false, false), { full: true });
    assert.deepEqual(matchParts('hello x world tail', ['hello', 'world'], false, true), { full: true });
    assert.equal(matchParts('world hello', ['hello', 'world'], true, true), null);
    assert.deepEqual(matchParts('a b', ['a b'], false, false), { full: true });
  });
});

describe('prompt matching: a synthetic workspace of 2,000 files', function () {
  this.timeout(60_000); // correctness is asserted, not time
  // Deterministic pseudo-random words, so every run builds the same workspace.
  let seed = 7;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed % n;
  };
  const WORDS = 'the a customer order ticket refund answer policy assistant support please never always only shipping invoice return product account agent reply summary note queue tone brief polite excerpt source cite language team lead step history problem sentence'.split(' ');
  const sentence = (n: number) => Array.from({ length: n }, () => WORDS[rand(WORDS.length)]).join(' ');
  const files: PromptIndexFile[] = [];
  const planted: { text: string; file: string; line: number }[] = [];
  for (let i = 0; i < 2000; i++) {
    const kind = i % 4;
    const lines: string[] = [];
    for (let k = 0; k < 15; k++) {
      if (kind === 0) lines.push(`export const v${k} = 'You are a ${sentence(6)} assistant. ${sentence(10)}.'; // ${sentence(4)}`);
      else if (kind === 1) lines.push(`V${k} = f"You are a ${sentence(5)} assistant for {company}. ${sentence(9)}."`);
      else if (kind === 2) lines.push(`const t${k} = \`${sentence(8)} \${x} ${sentence(8)}\`;`);
      else lines.push(`${sentence(14)}`);
    }
    const path = `${['src', 'app', 'lib', 'prompts'][kind]}/m${i}/${['f.ts', 'f.py', 'g.js', 'p.md'][kind]}`;
    if (i % 250 === 16) {
      const unique = `You are the ${i} planner. ${sentence(12)}. Reply in JSON with the keys ${sentence(3)}.`;
      lines.splice(10, 0, `export const planted = (team: string) => \`${unique.replace(' planner.', ' planner for ${team}.')}\`;`);
      planted.push({ text: unique.replace(' planner.', ' planner for the growth team.'), file: path, line: 11 });
    }
    files.push({ path, text: lines.join('\n') + '\n', folder: 0 });
  }
  const bytes = files.reduce((n, f) => n + f.text.length, 0);
  let big: ReturnType<typeof buildPromptIndex>;

  it(`indexes ${files.length} files`, () => {
    assert.ok(bytes > 2_000_000, `${bytes} bytes`);
    big = buildPromptIndex(files);
    assert.equal(big.files, 2000);
    assert.ok(big.templates.length > 20_000, String(big.templates.length));
  });

  it('finds each planted template first, among tens of thousands', () => {
    assert.equal(planted.length, 8);
    for (const p of planted) {
      const [best] = matchPrompt(big, p.text);
      assert.deepEqual([best?.file, best?.line, best?.full], [p.file, p.line, true], p.text);
    }
  });

  it('finds an unplanted file line exactly, and nothing for unrelated text', () => {
    const f = files[1001]; // a Python file
    const line = f.text.split('\n')[3];
    const rendered = /f"(.*)"/.exec(line)![1].replace('{company}', 'Acme');
    const [best] = matchPrompt(big, rendered);
    assert.deepEqual([best.file, best.line], [f.path, 4]);
    assert.deepEqual(matchPrompt(big, 'Bonjour, pouvez-vous m\u2019aider avec ma commande num\u00e9ro 12345 ?'), []);
    assert.deepEqual(matchPrompt(big, 'x'.repeat(100_000)), []);
  });
});

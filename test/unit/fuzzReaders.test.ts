// Property-based fuzzing (fast-check) of the four readers and their splitters, on hostile input:
//   (a) for arbitrary bytes (random buffers, JSON-ish token soup, gzip magic followed by junk, corrupt or truncated
//       gzip), split into random chunks or read through files with tiny read sizes, no reader throws, every event
//       has a sane location (line >= 1, byte range inside the content, the line of its first byte, file order), the
//       result does not depend on how the bytes were chunked, and JSON Lines counts add up (lines = values + skips +
//       blanks);
//   (b) valid records interleaved with corrupt ones (truncated JSON, binary garbage, unbalanced quotes/brackets,
//       raw NUL and control bytes, huge numbers, lone surrogates, byte-order marks mid-file, CRLF/LF mixes, values
//       over a random per-value limit) come back exactly once, in order, at the right line and byte offset, equal to
//       what JSON.parse makes of their text; the corrupt ones are skipped one for one; gzip gives the same events and
//       truncated gzip a prefix of them, then one skip that says why.
// More runs: AUDITLENS_FUZZ_RUNS=2000. A failure prints the seed and the shrunk counterexample.
import * as assert from 'node:assert/strict';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { CsvSplitter, readCsv } from '../../src/core/ingest/csvReader';
import { JsonArraySplitter, readJsonArray } from '../../src/core/ingest/jsonArrayReader';
import { readJsonDocument } from '../../src/core/ingest/jsonDocumentReader';
import { readJsonl } from '../../src/core/ingest/jsonlReader';
import { LineSplitter, type LineEvent } from '../../src/core/ingest/lineReader';
import type { ReadEvent, RecordReader } from '../../src/core/ingest/readerTypes';
import { FUZZ_RUNS, assertSaneLocs, lineAt, readAll, tmpFile } from '../stress/support';

const LF = 0x0a;
const CR = 0x0d;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const b = (s: string) => Buffer.from(s, 'utf8');

// ------------------------------------------------------------------------------------------------ arbitraries

/** Token soup close to JSON, CSV and their failure modes (raw bytes included: invalid UTF-8, a lone surrogate's
 *  UTF-8 encoding, BOMs, NUL, gzip magic). */
const TOKENS: Buffer[] = [
  ...['{', '}', '[', ']', '"', '\\', ',', ':', ' ', '\t', '\n', '\r\n', '\r', '0', '1', '-1.5e3', '1e999', '-1e999',
    '123456789012345678901234567890', 'true', 'null', 'fals', 'NaN', '"a"', '"a,b"', '""', '"\\u0000"', '"\\ud800"',
    '"\\"', '\ufeff', '\u0000', '\u2028', 'é', '€', '😀', 'x', '{"a":1}', '[1,2]', '{"a":', '"b":[', 'a,b,c', '"x""y"'].map(b),
  Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), BOM, Buffer.from([0x1f, 0x8b]), Buffer.from([0x80, 0x80]),
];
const jsonishArb = fc.array(fc.constantFrom(...TOKENS), { maxLength: 250 }).map((parts) => Buffer.concat(parts));
const randomBytesArb = fc.uint8Array({ maxLength: 1500 }).map((u) => Buffer.from(u));
const anyContentArb = fc.oneof(randomBytesArb, jsonishArb);

/** Cut points for splitting a buffer into chunks (empty chunks included). */
const cutsArb = fc.array(fc.nat(), { maxLength: 24 });
function chunked(content: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (content.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    out.push(content.subarray(from, p));
    from = p;
  }
  out.push(content.subarray(from));
  return out;
}

/** A per-value limit: none (64 MiB) or a small one, so the oversize path runs next to the normal one. */
const maxArb = fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined });
const chunkBytesArb = fc.integer({ min: 1, max: 97 });

/** JSON texts of values that stress the parser: huge numbers, escapes, lone surrogates, BOM and NUL escapes. */
const SPECIAL_VALUE_TEXTS = [
  '1e999', '-1e999', '1E+400', '123456789012345678901234567890123', '-0', '0.1e-400', '"\\ud800"', '"a\\udc00b"',
  '"\\u0000"', '"\\ufeff"', '"a\\r\\nb"', '"é€😀"', '"\u2028"', '[]', '{}', '"__proto__"', '{"__proto__":{"x":1}}',
];
/** Any string: printable ASCII, any code point, or with lone surrogates (JSON.stringify escapes them). */
const stringArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ maxLength: 8, unit: 'binary' }),
  fc.tuple(fc.string({ maxLength: 4 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([s, u]) => s + String.fromCharCode(u)),
);
const valueTextArb = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
  stringArb.map((s) => JSON.stringify(s)),
  fc.constantFrom(...SPECIAL_VALUE_TEXTS),
);
const keyArb = fc.oneof(stringArb, fc.constantFrom('__proto__', 'constructor', 'prototype', 'model', 'usage', ''));
/** The one-line JSON text of an object (keys may repeat: JSON.parse keeps the last). */
const recordTextArb = fc
  .array(fc.tuple(keyArb, valueTextArb, fc.constantFrom('', ' ')), { maxLength: 5 })
  .map((pairs) => `{${pairs.map(([k, v, sp]) => `${JSON.stringify(k)}:${sp}${v}`).join(',')}}`);

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** Bytes with none of `excluded`, and not empty. */
const garbageArb = (excluded: number[]) =>
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((u) => Buffer.from(u.filter((x) => !excluded.includes(x)))).filter((g) => g.length > 0);

const WS = [0x20, 0x09, LF, CR];
const isWs = (x: number) => WS.includes(x);
/** Cuts whitespace bytes from both ends. */
function trimWs(buf: Buffer): Buffer {
  let s = 0;
  let e = buf.length;
  while (s < e && isWs(buf[s])) s++;
  while (e > s && isWs(buf[e - 1])) e--;
  return buf.subarray(s, e);
}

// ------------------------------------------------------------------------------------------------ helpers

/** The events of a splitter fed `chunks` (as the file readers feed it, stopping when it says so). */
function runSplitter(s: JsonArraySplitter | CsvSplitter, chunks: Buffer[]): ReadEvent[] {
  const out: ReadEvent[] = [];
  for (const c of chunks) {
    if (s.stopped) break;
    out.push(...s.push(c));
  }
  out.push(...s.end());
  return out;
}

function runLines(max: number | undefined, chunks: Buffer[]): LineEvent[] {
  const s = new LineSplitter(max);
  const out: LineEvent[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

/** The lines of `content` as the contract defines them: split at LF; a final segment only if not empty. */
function expectedLines(content: Buffer): { offset: number; bytes: Buffer }[] {
  const out: { offset: number; bytes: Buffer }[] = [];
  let from = 0;
  for (;;) {
    const nl = content.indexOf(LF, from);
    if (nl === -1) break;
    out.push({ offset: from, bytes: content.subarray(from, nl) });
    from = nl + 1;
  }
  if (from < content.length) out.push({ offset: from, bytes: content.subarray(from) });
  return out;
}

type Brief = [string, number, number, number, unknown];
/** An event as a comparable tuple: kind, line, offset, length, and the value (values) or nothing. */
const brief = (e: ReadEvent): Brief => [e.kind, e.loc.line, e.loc.byteOffset, e.loc.byteLength, e.kind === 'value' ? e.value : undefined];

const READERS: [string, RecordReader][] = [
  ['jsonl', readJsonl],
  ['json-array', readJsonArray],
  ['csv', readCsv],
  ['json-document', readJsonDocument],
];

// ------------------------------------------------------------------------------------------------ (a) arbitrary bytes

describe('fuzz (a): arbitrary bytes never break a splitter', function () {
  this.timeout(120_000);

  it('LineSplitter: one event per line, exact offsets and text, oversize exactly over the limit, chunking irrelevant', () => {
    fc.assert(
      fc.property(anyContentArb, cutsArb, maxArb, (content, cuts, max) => {
        const events = runLines(max, chunked(content, cuts));
        const lines = expectedLines(content);
        assert.equal(events.length, lines.length);
        events.forEach((ev, i) => {
          const want = lines[i];
          assert.equal(ev.line, i + 1);
          assert.equal(ev.byteOffset, want.offset);
          assert.equal(ev.byteLength, want.bytes.length);
          if (max !== undefined && want.bytes.length > max) {
            assert.equal(ev.kind, 'oversize');
          } else {
            assert.equal(ev.kind, 'line');
            let bytes = want.bytes;
            if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
            let text = bytes.toString('utf8');
            if (i === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
            assert.equal((ev as { text: string }).text, text);
          }
        });
      }),
      { numRuns: FUZZ_RUNS * 3 },
    );
  });

  for (const [name, make] of [
    ['JsonArraySplitter', (max?: number) => new JsonArraySplitter(max)],
    ['CsvSplitter', (max?: number) => new CsvSplitter(max)],
  ] as const) {
    it(`${name}: sane locations in file order, and the same events however the bytes are chunked`, () => {
      fc.assert(
        fc.property(anyContentArb, cutsArb, maxArb, (content, cuts, max) => {
          const whole = runSplitter(make(max), [content]);
          const pieces = runSplitter(make(max), chunked(content, cuts));
          const bytewise = runSplitter(make(max), chunked(content, Array.from({ length: content.length }, (_, i) => i)));
          assertSaneLocs(whole, content);
          assert.deepEqual(pieces, whole);
          assert.deepEqual(bytewise, whole);
        }),
        { numRuns: FUZZ_RUNS * 2 },
      );
    });
  }
});

describe('fuzz (a): arbitrary files never make a reader throw', function () {
  this.timeout(180_000);

  for (const [name, reader] of READERS) {
    it(`${name}: plain bytes through a file with tiny reads: sane events, same as one big read`, async () => {
      await fc.assert(
        fc.asyncProperty(anyContentArb, chunkBytesArb, maxArb, async (content, chunkBytes, max) => {
          const file = tmpFile('fuzz.bin', content);
          const small = await readAll(reader, file, { chunkBytes, maxValueBytes: max });
          const big = await readAll(reader, file, { maxValueBytes: max });
          const gzip = content[0] === 0x1f && content[1] === 0x8b; // read as gzip: locations are in what it inflates to
          assertSaneLocs(small, gzip ? null : content);
          assert.deepEqual(small.map(brief), big.map(brief));
          if (name === 'jsonl' && !gzip) {
            // lines = values + skips + blanks, one event per line, numbered 1..n.
            const lines = expectedLines(content).length;
            assert.equal(small.length, lines);
            small.forEach((ev, i) => assert.equal(ev.loc.line, i + 1));
          }
          if (name === 'json-document') assert.equal(small.length, 1);
        }),
        { numRuns: FUZZ_RUNS },
      );
    });

    it(`${name}: gzip magic then junk, corrupt and truncated gzip: a skip that says why, never a throw`, async () => {
      const gzipJunk = fc.oneof(
        anyContentArb.map((c) => Buffer.concat([Buffer.from([0x1f, 0x8b]), c])),
        fc.tuple(anyContentArb, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([c, at, x]) => {
          const gz = zlib.gzipSync(c);
          const i = at % gz.length;
          gz[i] ^= x; // flip bits somewhere (header, deflate data or trailer)
          return gz;
        }),
        fc.tuple(anyContentArb, fc.nat()).map(([c, at]) => {
          const gz = zlib.gzipSync(c);
          return gz.subarray(0, Math.max(2, at % gz.length)); // keep the magic so it is still taken for gzip
        }),
      );
      await fc.assert(
        fc.asyncProperty(gzipJunk, chunkBytesArb, maxArb, async (gz, chunkBytes, max) => {
          const events = await readAll(reader, tmpFile('fuzz.gz', gz), { chunkBytes, maxValueBytes: max });
          assertSaneLocs(events, null);
          const gzipSkips = events.filter((e) => e.kind === 'skip' && /gzip data is corrupt or truncated|decompression bomb/.test(e.reason));
          assert.ok(gzipSkips.length <= 1, 'at most one gzip failure, at the end');
          if (gzipSkips.length === 1) assert.equal(events[events.length - 1], gzipSkips[0]);
        }),
        { numRuns: FUZZ_RUNS },
      );
    });
  }
});

// ------------------------------------------------------------------------------------------------ (b) nothing lost

/** One line/element/row of a generated file and the event it must give. */
interface Item {
  kind: 'valid' | 'corrupt' | 'blank';
  bytes: Buffer;
  /** For valid items: JSON.parse of the text (what the reader must yield). */
  value?: unknown;
}

interface Expected {
  content: Buffer;
  events: Brief[];
}

/** Reads `content` as a plain file (tiny reads), as one big read, and gzip-compressed; all must match `expected`. */
async function checkAllWays(reader: RecordReader, ext: string, exp: Expected, chunkBytes: number, max: number | undefined): Promise<void> {
  const plain = await readAll(reader, tmpFile(`b.${ext}`, exp.content), { chunkBytes, maxValueBytes: max });
  assertSaneLocs(plain, exp.content);
  assert.deepEqual(plain.map(brief), exp.events);
  const gz = zlib.gzipSync(exp.content);
  const unzipped = await readAll(reader, tmpFile(`b.${ext}.gz`, gz), { chunkBytes, maxValueBytes: max });
  assert.deepEqual(unzipped.map(brief), exp.events, 'gzip-compressed: the same events');
}

/** A truncated gzip copy: every event but the last is the plain file's, the last one a skip saying why. */
async function checkTruncatedGzip(reader: RecordReader, ext: string, exp: Expected, cut: number, max: number | undefined): Promise<void> {
  const gz = zlib.gzipSync(exp.content);
  const at = 10 + (cut % Math.max(1, gz.length - 10)); // past the 10-byte header, before the end
  if (at >= gz.length) return;
  const events = await readAll(reader, tmpFile(`t.${ext}.gz`, gz.subarray(0, at)), { chunkBytes: 7, maxValueBytes: max });
  assertSaneLocs(events, exp.content);
  const last = events[events.length - 1];
  assert.ok(last && last.kind === 'skip' && /gzip data is corrupt or truncated/.test(last.reason), `ends with the gzip skip: ${JSON.stringify(last)}`);
  assert.deepEqual(events.slice(0, -1).map(brief), exp.events.slice(0, events.length - 1), 'what came before is exactly what the plain file gives');
}

// ---- JSON Lines

const jsonlValidArb: fc.Arbitrary<Item> = fc
  .tuple(recordTextArb, fc.boolean(), fc.constantFrom('', ' ', '\t '))
  .map(([text, bom, pad]) => ({ kind: 'valid', bytes: b((bom ? '\ufeff' : '') + text + pad), value: JSON.parse(text) }));

const jsonlCorruptArb: fc.Arbitrary<Item> = fc
  .oneof(
    recordTextArb.chain((t) => fc.integer({ min: 1, max: Math.max(1, t.length - 1) }).map((k) => b(t.slice(0, k)))), // truncated
    garbageArb([LF]), // binary garbage
    fc.tuple(recordTextArb, fc.nat(), fc.constantFrom('"', '[', '{', ']', '}', '\u0000', '\u0001', '\ufeff', ',')).map(([t, at, c]) => {
      const i = at % (t.length + 1);
      return b(t.slice(0, i) + c + t.slice(i)); // unbalanced quote/bracket, raw NUL or control byte, BOM inside
    }),
    fc.tuple(recordTextArb, fc.constantFrom([0xff], [0xed, 0xa0, 0x80], [0xc3])).map(([t, raw]) => Buffer.concat([b(t), Buffer.from(raw)])),
  )
  .map((bytes) => ({ kind: 'corrupt' as const, bytes }))
  .filter(({ bytes }) => {
    if (bytes[bytes.length - 1] === CR) return false; // a CR before the LF is part of the line terminator
    let text = bytes.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.trim() !== '' && !parses(text);
  });

const blankArb: fc.Arbitrary<Item> = fc.constantFrom('', ' ', '\t', '  \t ').map((s) => ({ kind: 'blank', bytes: b(s) }));

const jsonlItemsArb = fc.array(fc.oneof({ weight: 3, arbitrary: jsonlValidArb }, { weight: 2, arbitrary: jsonlCorruptArb }, { weight: 1, arbitrary: blankArb }), {
  maxLength: 25,
});

function buildJsonl(items: Item[], crlf: boolean[], finalNewline: boolean, fileBom: boolean, max: number | undefined): Expected {
  const parts: Buffer[] = [];
  const events: Brief[] = [];
  let offset = 0;
  items.forEach((it, i) => {
    let bytes = it.bytes;
    if (i === 0 && fileBom) bytes = Buffer.concat([BOM, bytes]);
    const last = i === items.length - 1;
    const terminated = !last || finalNewline || bytes.length === 0; // an empty last line needs its LF to exist
    const cr = terminated && crlf[i % crlf.length];
    const lineBytes = bytes.length + (cr ? 1 : 0);
    const loc: [number, number, number] = [i + 1, offset, lineBytes];
    if (max !== undefined && lineBytes > max) events.push(['skip', ...loc, undefined]);
    else if (it.kind === 'valid') events.push(['value', ...loc, it.value]);
    else events.push([it.kind === 'corrupt' ? 'skip' : 'blank', ...loc, undefined]);
    parts.push(bytes, cr ? b('\r\n') : terminated ? b('\n') : Buffer.alloc(0));
    offset += lineBytes + (terminated ? 1 : 0);
  });
  return { content: Buffer.concat(parts), events };
}

// ---- JSON array

const prettyArb = fc.constantFrom('none', 'lf', 'crlf');
const arrayValidArb: fc.Arbitrary<Item> = fc.tuple(recordTextArb, prettyArb).map(([text, pretty]) => {
  const out = pretty === 'none' ? text : JSON.stringify(JSON.parse(text), null, 2).replace(/\n/g, pretty === 'crlf' ? '\r\n' : '\n');
  // Pretty-printing turns 1e999 into null: the element's own text decides what it holds.
  return { kind: 'valid', bytes: b(out), value: JSON.parse(out) };
});
const STRUCTURAL = [0x22, 0x2c, 0x5b, 0x5d, 0x7b, 0x7d]; // " , [ ] { }
const arrayCorruptArb: fc.Arbitrary<Item> = fc
  .oneof(
    valueTextArb.filter((t) => !t.startsWith('{')), // a JSON value that is not an object
    fc.constantFrom(
      '{"a":1,}', '{"a" 1}', '{"a":01}', '{,}', 'tru', 'NaN', "{'a':1}", '{"a":1}}', '{"a":1]', '[1,,2]', '{"a":"x\u0001y"}',
      '{"a":"line\nbreak"}', '{"a":"\u0000"}', '{"a":"\\x"}', 'undefined', '{"a":1e999e1}', '\u0000', '\ufeff{"a":1}',
    ),
  )
  .map((t) => b(t))
  .chain((bytes) => fc.oneof(fc.constant(bytes), garbageArb([...STRUCTURAL, 0x5c]))) // or binary garbage
  .map((bytes) => trimWs(bytes))
  .filter((bytes) => bytes.length > 0)
  .map((bytes) => ({ kind: 'corrupt' as const, bytes }));
const wsArb = fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\n  ', ' \r\n ');

function buildArray(
  items: Item[],
  ws: string[],
  opts: { bom: boolean; closed: boolean; trailing: Buffer | null },
  max: number | undefined,
): Expected {
  const parts: Buffer[] = [];
  let offset = 0;
  const add = (x: Buffer) => {
    parts.push(x);
    offset += x.length;
  };
  const w = (i: number) => b(ws[i % ws.length]);
  const starts: number[] = [];
  if (opts.bom) add(BOM);
  add(w(0));
  add(b('['));
  items.forEach((it, i) => {
    add(w(i + 1));
    starts.push(offset);
    add(it.bytes);
    add(w(i + 2));
    if (i < items.length - 1) add(b(','));
  });
  add(w(items.length + 3));
  const end = offset; // where the content stops when the array is not closed
  let garbage: { at: number; length: number } | null = null;
  if (opts.closed) {
    add(b(']'));
    const g = opts.trailing ? trimWs(opts.trailing) : Buffer.alloc(0);
    if (g.length > 0) {
      add(w(1));
      garbage = { at: offset, length: g.length };
      add(g);
    }
  }
  const content = Buffer.concat(parts);
  const events: Brief[] = items.map((it, i) => {
    const loc: [number, number, number] = [lineAt(content, starts[i]), starts[i], it.bytes.length];
    if (max !== undefined && it.bytes.length > max) return ['skip', ...loc, undefined];
    return it.kind === 'valid' ? ['value', ...loc, it.value] : ['skip', ...loc, undefined];
  });
  if (!opts.closed) {
    // The file ends before "]": a complete last element is read, then the missing "]" is reported at the very end;
    // a last element that is not a record is reported as cut off (its range runs to the end of the file).
    const last = events[events.length - 1];
    if (!last || last[0] === 'value') events.push(['skip', lineAt(content, end), end, 0, undefined]);
    else last[3] = end - last[2];
  }
  if (garbage) events.push(['skip', lineAt(content, garbage.at), garbage.at, garbage.length, undefined]);
  return { content, events };
}

// ---- CSV

/** A cell that stays a string (the "s" prefix: never a number, boolean, null, JSON or empty) and survives UTF-8. */
const cellArb = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 8, unit: 'binary' })).filter((s) => (s as string & { isWellFormed(): boolean }).isWellFormed()).map((s) => 's' + s);
const SPECIAL_CELLS = ['s,', 's"', 's""', 's\n', 's\r\n', 's\r', 's\u0000', 's\ufeff', 's😀', 's "q" ,x', 's\u2028'];
const csvCellArb = fc.oneof({ weight: 4, arbitrary: cellArb }, { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_CELLS) });
function csvField(cell: string, forceQuote: boolean): string {
  return forceQuote || /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function buildCsv(
  columns: number,
  rows: ({ kind: 'valid'; cells: string[]; quote: boolean[] } | { kind: 'corrupt'; bytes: Buffer } | { kind: 'blank'; bytes: Buffer })[],
  crlf: boolean[],
  finalNewline: boolean,
  bom: boolean,
  max: number | undefined,
): Expected {
  const parts: Buffer[] = [];
  let offset = 0;
  const add = (x: Buffer) => {
    parts.push(x);
    offset += x.length;
  };
  const names = Array.from({ length: columns }, (_, i) => `c${i + 1}`);
  if (bom) add(BOM);
  add(b(names.join(',')));
  add(b(crlf[0] ? '\r\n' : '\n'));
  const spans: { start: number; length: number; row: (typeof rows)[number] }[] = [];
  rows.forEach((row, i) => {
    const bytes = row.kind === 'valid' ? b(row.cells.map((c, j) => csvField(c, row.quote[j % row.quote.length])).join(',')) : row.bytes;
    spans.push({ start: offset, length: bytes.length, row });
    add(bytes);
    const last = i === rows.length - 1;
    if (!last || finalNewline || bytes.length === 0) add(b(crlf[(i + 1) % crlf.length] ? '\r\n' : '\n'));
  });
  const content = Buffer.concat(parts);
  const lineOf = (at: number) => {
    let line = 1;
    for (let i = 0; i < at; i++) if (content[i] === LF) line++;
    return line;
  };
  const events: Brief[] = spans.map(({ start, length, row }) => {
    const loc: [number, number, number] = [lineOf(start), start, length];
    if (max !== undefined && length > max) return ['skip', ...loc, undefined];
    if (row.kind === 'valid') return ['value', ...loc, Object.fromEntries(row.cells.map((c, j) => [names[j], c]))];
    return [row.kind === 'corrupt' ? 'skip' : 'blank', ...loc, undefined];
  });
  return { content, events };
}

describe('fuzz (b): a valid record next to a corrupt one is never lost', function () {
  this.timeout(300_000);

  it('JSON Lines: every valid line once, in order, at its line and offset; every corrupt line skipped; blanks counted', async () => {
    await fc.assert(
      fc.asyncProperty(
        jsonlItemsArb,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        chunkBytesArb,
        maxArb,
        fc.nat(),
        async (items, crlf, finalNewline, fileBom, chunkBytes, max, cut) => {
          const exp = buildJsonl(items, crlf, finalNewline, fileBom, max);
          await checkAllWays(readJsonl, 'jsonl', exp, chunkBytes, max);
          await checkTruncatedGzip(readJsonl, 'jsonl', exp, cut, max);
          // The contract's count: lines = values + skips + blanks.
          assert.equal(exp.events.length, items.length);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('JSON array: every valid element once, in order, at its line and offset; each corrupt element one skip', async () => {
    const itemsArb = fc.array(fc.oneof({ weight: 3, arbitrary: arrayValidArb }, { weight: 2, arbitrary: arrayCorruptArb }), { maxLength: 20 });
    await fc.assert(
      fc.asyncProperty(
        itemsArb,
        fc.array(wsArb, { minLength: 1, maxLength: 6 }),
        fc.record({ bom: fc.boolean(), closed: fc.boolean(), trailing: fc.option(fc.uint8Array({ maxLength: 20 }).map((u) => Buffer.from(u)), { nil: null }) }),
        chunkBytesArb,
        maxArb,
        fc.nat(),
        async (items, ws, opts, chunkBytes, max, cut) => {
          const exp = buildArray(items, ws, opts, max);
          await checkAllWays(readJsonArray, 'json', exp, chunkBytes, max);
          await checkTruncatedGzip(readJsonArray, 'json', exp, cut, max);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('CSV: every valid row once, in order, at its first line and offset, quotes/commas/newlines in cells intact; bad rows skipped', async () => {
    const columnsArb = fc.integer({ min: 1, max: 4 });
    const rowsArb = (columns: number) =>
      fc.array(
        fc.oneof(
          { weight: 3, arbitrary: fc.record({ kind: fc.constant('valid' as const), cells: fc.array(csvCellArb, { minLength: columns, maxLength: columns }), quote: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }) }) },
          {
            weight: 2,
            // A row with the wrong number of fields: binary garbage (no quote at a field start, no comma, CR or LF inside).
            arbitrary: fc
              .integer({ min: 1, max: columns + 2 })
              .filter((n) => n !== columns)
              .chain((n) => fc.array(garbageArb([0x2c, LF, CR]), { minLength: n, maxLength: n }))
              .map((cells) => ({ kind: 'corrupt' as const, bytes: Buffer.concat(cells.flatMap((c, i) => (i ? [b(','), b('x'), c] : [b('x'), c]))) })),
          },
          { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t').map((s) => ({ kind: 'blank' as const, bytes: b(s) })) },
        ),
        { maxLength: 20 },
      );
    await fc.assert(
      fc.asyncProperty(
        columnsArb.chain((c) => fc.tuple(fc.constant(c), rowsArb(c))),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.boolean(),
        chunkBytesArb,
        fc.option(fc.integer({ min: 12, max: 300 }), { nil: undefined }), // at least the header's length
        fc.nat(),
        async ([columns, rows], crlf, finalNewline, bom, chunkBytes, max, cut) => {
          const exp = buildCsv(columns, rows, crlf, finalNewline, bom, max);
          await checkAllWays(readCsv, 'csv', exp, chunkBytes, max);
          await checkTruncatedGzip(readCsv, 'csv', exp, cut, max);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('JSON document: one event for the whole file, the value exactly when the text is one JSON value under the limit', async () => {
    const docArb = fc.oneof(
      fc.tuple(recordTextArb, prettyArb).map(([t, pretty]) => (pretty === 'none' ? t : JSON.stringify(JSON.parse(t), null, 2).replace(/\n/g, pretty === 'crlf' ? '\r\n' : '\n'))),
      recordTextArb.chain((t) => fc.integer({ min: 0, max: t.length - 1 }).map((k) => t.slice(0, k))),
      valueTextArb,
    );
    await fc.assert(
      fc.asyncProperty(docArb, fc.boolean(), wsArb, wsArb, chunkBytesArb, maxArb, async (doc, bom, before, after, chunkBytes, max) => {
        const content = Buffer.concat([bom ? BOM : Buffer.alloc(0), b(before + doc + after)]);
        const text = before + doc + after;
        const expected: Brief =
          max !== undefined && content.length > max
            ? ['skip', 1, 0, content.length, undefined]
            : text.trim() === ''
              ? ['blank', 1, 0, content.length, undefined]
              : parses(text)
                ? ['value', 1, 0, content.length, JSON.parse(text)]
                : ['skip', 1, 0, content.length, undefined];
        await checkAllWays(readJsonDocument, 'json', { content, events: [expected] }, chunkBytes, max);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

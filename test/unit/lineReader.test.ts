import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { LineSplitter, readLines, type LineEvent } from '../../src/core/ingest/lineReader';
import { readJsonl } from '../../src/core/ingest/jsonlReader';

function split(chunks: (string | Buffer)[], max?: number): LineEvent[] {
  const s = new LineSplitter(max);
  const out: LineEvent[] = [];
  for (const c of chunks) out.push(...s.push(Buffer.isBuffer(c) ? c : Buffer.from(c, 'utf8')));
  out.push(...s.end());
  return out;
}

function tmpFile(name: string, content: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-unit-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

describe('LineSplitter', () => {
  it('numbers lines and gives byte offsets, across chunk boundaries and multi-byte characters', () => {
    const text = 'ab\né€\r\n\nlast';
    const bytes = Buffer.from(text, 'utf8');
    // Split in the middle of the two-byte "é" and three-byte "€".
    const events = split([bytes.subarray(0, 4), bytes.subarray(4, 6), bytes.subarray(6)]);
    assert.deepEqual(
      events.map((e) => (e.kind === 'line' ? [e.line, e.byteOffset, e.text] : e.kind)),
      [
        [1, 0, 'ab'],
        [2, 3, 'é€'],
        [3, 10, ''],
        [4, 11, 'last'],
      ],
    );
    for (const e of events) {
      if (e.kind === 'line' && e.text !== '') {
        assert.equal(bytes.subarray(e.byteOffset, e.byteOffset + Buffer.byteLength(e.text)).toString('utf8'), e.text);
      }
    }
  });

  it('strips a byte-order mark on the first line only', () => {
    const events = split(['\ufeff{"a":1}\n\ufeffx\n']);
    assert.equal((events[0] as { text: string }).text, '{"a":1}');
    assert.equal((events[1] as { text: string }).text, '\ufeffx');
  });

  it('reports a line over the limit as oversize without keeping it, and goes on', () => {
    const events = split(['short\n', 'x'.repeat(50), 'y'.repeat(50), '\nafter\n'], 64);
    assert.deepEqual(
      events.map((e) => [e.kind, e.line, e.byteLength]),
      [
        ['line', 1, 5],
        ['oversize', 2, 100],
        ['line', 3, 5],
      ],
    );
    assert.equal(events[2].byteOffset, 107);
  });

  it('yields nothing for an empty input and one line for a file without a final newline', () => {
    assert.deepEqual(split([]), []);
    assert.equal(split(['{}']).length, 1);
  });
});

describe('readLines', () => {
  it('reads a plain file and the same content gzip-compressed identically', async () => {
    const content = Array.from({ length: 1000 }, (_, i) => JSON.stringify({ i, text: 'ü'.repeat(i % 7) })).join('\n') + '\n';
    const plain = tmpFile('a.jsonl', content);
    const gz = tmpFile('a.jsonl.gz', zlib.gzipSync(content));
    const collect = async (p: string) => {
      const out: string[] = [];
      for await (const e of readLines(p, { chunkBytes: 1000 })) if (e.kind === 'line') out.push(`${e.line}@${e.byteOffset}:${e.text}`);
      return out;
    };
    const a = await collect(plain);
    assert.equal(a.length, 1000);
    assert.deepEqual(await collect(gz), a);
  });

  it('reports progress in bytes read from disk', async () => {
    const file = tmpFile('p.jsonl', '{"a":1}\n'.repeat(10_000));
    let last = 0;
    for await (const _ of readLines(file, { chunkBytes: 4096, onProgress: (n) => (last = n) })) {
      /* drain */
    }
    assert.equal(last, fs.statSync(file).size);
  });
});

describe('readLines on a missing file', () => {
  it('rejects with ENOENT naming the file, without an uncaught stream error', async () => {
    const missing = path.join(os.tmpdir(), 'auditlens-definitely-missing.jsonl');
    await assert.rejects(async () => {
      for await (const _ of readLines(missing)) {
        /* nothing */
      }
    }, /ENOENT.*auditlens-definitely-missing\.jsonl/);
  });
});

describe('a gzip stream that breaks off', () => {
  it('delivers every line decompressed before the break, the same on every run, then one skip', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'auditlens-gzcut-'));
    const file = path.join(dir, 'cut.jsonl.gz');
    // ~9 MB of text that compresses poorly, so the decompressor is several 1 MiB chunks ahead of a slow reader.
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31).toString(36).slice(2);
    const text = Array.from({ length: 60_000 }, (_, i) => JSON.stringify({ i, pad: noise() + noise() + noise() + noise() + noise() + noise() })).join('\n') + '\n';
    const gz = zlib.gzipSync(text, { level: 1 });
    fs.writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    // What zlib can decompress from the truncated bytes: the complete lines in it are what must be read.
    const prefix = zlib.gunzipSync(fs.readFileSync(file), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString('utf8');
    const complete = prefix.split('\n').length - 1;
    assert.ok(complete > 20_000, `the prefix holds many lines (${complete})`);
    try {
      const runs: string[] = [];
      for (let run = 0; run < 5; run++) {
        const events = [];
        for await (const ev of readJsonl(file, { chunkBytes: 64 * 1024 })) {
          events.push(ev);
          if (events.length % 5000 === 0) await new Promise((r) => setTimeout(r, 20)); // a reader slower than zlib
        }
        const values = events.filter((e) => e.kind === 'value').length;
        const last = events[events.length - 1];
        assert.equal(last.kind, 'skip');
        assert.match((last as { reason: string }).reason, /gzip data is corrupt or truncated/);
        runs.push(`${values} values, then a skip at line ${last.loc.line}`);
        assert.equal(values, complete, `run ${run}: every complete line before the break`);
      }
      assert.equal(new Set(runs).size, 1, runs.join(' / '));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

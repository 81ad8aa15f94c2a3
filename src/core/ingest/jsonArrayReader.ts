// Streams a file holding ONE top-level JSON array of records (pretty-printed or not, gzip, BOM, CRLF) without
// loading it whole: a small state machine (depth, inside-string, escape) finds each top-level element's byte range
// chunk by chunk, and only that element's bytes are decoded and parsed. Bad content becomes `skip` events.
import { DEFAULT_CHUNK_BYTES, DEFAULT_MAX_LINE_BYTES, splitFile } from './lineReader';
import type { ReadEvent, RecordReader, SourceLoc } from './readerTypes';


const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const BOM = [0xef, 0xbb, 0xbf];

function isSpace(b: number): boolean {
  return b === SPACE || b === LF || b === CR || b === TAB;
}

/** `"{"` for a printable ASCII byte, `byte 0xEF` otherwise. */
function describeByte(b: number): string {
  return b > 0x20 && b < 0x7f ? `"${String.fromCharCode(b)}"` : `byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A record (a JSON object), or the reason it is not one: `invalid JSON: …` or `not a JSON object (found …)`. */
function classify(text: string, loc: SourceLoc): ReadEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { kind: 'skip', loc, reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'skip', loc, reason: `not a JSON object (found ${describe(value)})` };
  }
  return { kind: 'value', value, loc };
}

const enum Phase {
  /** Before the opening `[` (BOM and whitespace allowed). */
  Before,
  /** After `[` or `,`: waiting for an element or `]`. */
  Expect,
  /** Inside a top-level element. */
  Element,
  /** After the closing `]`: only whitespace allowed. */
  After,
  /** Non-whitespace after `]`: counting it to report once at the end. */
  Garbage,
  /** The content is not an array: nothing more to read. */
  Stopped,
}

/** Splits a byte stream holding one JSON array into its elements. Exported for tests that feed chunks directly. */
export class JsonArraySplitter {
  private phase = Phase.Before;
  private bom = 0; // bytes of a leading byte-order mark seen
  private offset = 0; // absolute offset of the current chunk's first byte
  private line = 1; // line of the byte being looked at
  private afterComma = false; // in Expect: true after `,`, false right after `[`
  private commaOffset = 0;
  private commaLine = 1;
  // The open element.
  private depth = 0;
  private inString = false;
  private escape = false;
  private start = 0; // absolute offset of its first byte
  private startLine = 1;
  private valueEnd = 0; // absolute offset just past its last non-whitespace byte
  private pieces: Buffer[] = []; // its first maxValueBytes bytes at most (enough to parse it when it is not oversize)
  private kept = 0;
  // Trailing content after `]`.
  private garbageStart = 0;
  private garbageLine = 1;
  private garbageEnd = 0;

  constructor(private readonly maxValueBytes: number = DEFAULT_MAX_LINE_BYTES) {}

  /** True once the content turned out not to be a JSON array: the caller can stop reading. */
  get stopped(): boolean {
    return this.phase === Phase.Stopped;
  }

  /** Feeds a chunk; returns the events for the elements it finished. */
  push(chunk: Buffer): ReadEvent[] {
    const out: ReadEvent[] = [];
    const n = chunk.length;
    let elementFrom = this.phase === Phase.Element ? 0 : -1; // where the open element's bytes start in this chunk
    let i = 0;
    while (i < n) {
      const b = chunk[i];
      switch (this.phase) {
        case Phase.Element: {
          if (this.inString) {
            // Inside a string only `"`, `\` (escapes the next byte) and newlines (line count) matter.
            if (this.escape) {
              this.escape = false;
            } else if (b === QUOTE) {
              this.inString = false;
              this.valueEnd = this.offset + i + 1;
            } else if (b === BACKSLASH) {
              this.escape = true;
            } else {
              // Fast inner loop over plain string content.
              let j = i + 1;
              while (j < n) {
                const c = chunk[j];
                if (c === QUOTE || c === BACKSLASH || c === LF) break;
                j++;
              }
              if (b === LF) this.line++;
              i = j;
              continue;
            }
            if (b === LF) this.line++;
            i++;
            continue;
          }
          if (this.depth === 0 && (b === COMMA || b === CLOSE_BRACKET)) {
            this.keep(chunk.subarray(elementFrom, i));
            out.push(this.finishElement());
            if (b === COMMA) {
              this.phase = Phase.Expect;
              this.afterComma = true;
              this.commaOffset = this.offset + i;
              this.commaLine = this.line;
            } else {
              this.phase = Phase.After;
            }
            i++;
            continue;
          }
          if (b === LF) {
            this.line++;
          } else if (!isSpace(b)) {
            this.valueEnd = this.offset + i + 1;
            if (b === QUOTE) this.inString = true;
            else if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
            else if ((b === CLOSE_BRACE || b === CLOSE_BRACKET) && this.depth > 0) this.depth--;
          }
          i++;
          continue;
        }
        case Phase.Expect: {
          if (isSpace(b)) {
            if (b === LF) this.line++;
          } else if (b === CLOSE_BRACKET) {
            if (this.afterComma) out.push(this.commaSkip('invalid JSON: trailing comma before the closing "]"'));
            this.phase = Phase.After;
          } else if (b === COMMA) {
            if (this.afterComma) out.push(this.commaSkip('invalid JSON: missing value between two commas'));
            else out.push(this.skipAt(this.offset + i, this.line, 'invalid JSON: comma right after the opening "["'));
            this.afterComma = true;
            this.commaOffset = this.offset + i;
            this.commaLine = this.line;
          } else {
            this.openElement(i);
            elementFrom = i;
            continue; // look at this byte again, inside the element
          }
          i++;
          continue;
        }
        case Phase.Before: {
          const abs = this.offset + i;
          if (abs < BOM.length && this.bom === abs && b === BOM[abs]) {
            this.bom++; // part of a UTF-8 byte-order mark at the very start
            i++;
            continue;
          }
          if (this.bom !== 0 && this.bom !== BOM.length) {
            // The first bytes looked like a byte-order mark but were not one.
            out.push(this.notAnArray(0, 1, BOM[0]));
            return out;
          }
          if (isSpace(b)) {
            if (b === LF) this.line++;
          } else if (b === OPEN_BRACKET) {
            this.phase = Phase.Expect;
            this.afterComma = false;
          } else {
            out.push(this.notAnArray(abs, this.line, b));
            return out;
          }
          i++;
          continue;
        }
        case Phase.After:
        case Phase.Garbage: {
          if (isSpace(b)) {
            if (b === LF) this.line++;
          } else {
            if (this.phase === Phase.After) {
              this.phase = Phase.Garbage;
              this.garbageStart = this.offset + i;
              this.garbageLine = this.line;
            }
            this.garbageEnd = this.offset + i + 1;
          }
          i++;
          continue;
        }
        case Phase.Stopped:
          return out;
      }
    }
    if (this.phase === Phase.Element) this.keep(chunk.subarray(elementFrom));
    this.offset += n;
    return out;
  }

  /** Reports what the end of the content leaves open: a truncated element or array, trailing content. */
  end(): ReadEvent[] {
    const out: ReadEvent[] = [];
    switch (this.phase) {
      case Phase.Element: {
        // The file ends inside an element. It may still be complete (cut right after its closing brace):
        // then it is read, and the missing "]" reported after it.
        if (this.depth === 0 && !this.inString) {
          const ev = this.finishElement();
          if (ev.kind === 'value') {
            out.push(ev, this.skipAt(this.offset, this.line, 'truncated: the file ends before the array is closed (missing "]")', 0));
            break;
          }
        }
        out.push({
          kind: 'skip',
          loc: { line: this.startLine, byteOffset: this.start, byteLength: this.offset - this.start },
          reason: 'truncated: the file ends inside this element (the array is not closed)',
        });
        break;
      }
      case Phase.Expect:
        out.push(this.skipAt(this.offset, this.line, 'truncated: the file ends before the array is closed (missing "]")', 0));
        break;
      case Phase.Garbage:
        out.push({
          kind: 'skip',
          loc: { line: this.garbageLine, byteOffset: this.garbageStart, byteLength: this.garbageEnd - this.garbageStart },
          reason: 'unexpected content after the closing "]" of the array',
        });
        break;
      default:
        // Before (empty or whitespace-only content), After (a complete array), Stopped (already reported).
        break;
    }
    this.phase = Phase.Stopped;
    return out;
  }

  /** The content cannot be read on (corrupt gzip, decompression bomb): the open element, or this point, is skipped. */
  abort(reason: string): ReadEvent[] {
    if (this.phase === Phase.Stopped) return [];
    const loc: SourceLoc =
      this.phase === Phase.Element
        ? { line: this.startLine, byteOffset: this.start, byteLength: this.offset - this.start }
        : { line: this.line, byteOffset: this.offset, byteLength: 0 };
    this.phase = Phase.Stopped;
    this.pieces = [];
    return [{ kind: 'skip', loc, reason }];
  }

  private openElement(i: number): void {
    this.phase = Phase.Element;
    this.depth = 0;
    this.inString = false;
    this.escape = false;
    this.start = this.offset + i;
    this.startLine = this.line;
    this.valueEnd = this.start;
    this.pieces = [];
    this.kept = 0;
  }

  /** Keeps the element's bytes up to maxValueBytes; beyond that they are only counted (via offsets). */
  private keep(part: Buffer): void {
    const room = this.maxValueBytes - this.kept;
    if (room <= 0 || part.length === 0) return;
    const piece = part.length > room ? part.subarray(0, room) : part;
    this.pieces.push(piece);
    this.kept += piece.length;
  }

  private finishElement(): ReadEvent {
    const byteLength = this.valueEnd - this.start;
    const loc: SourceLoc = { line: this.startLine, byteOffset: this.start, byteLength };
    const pieces = this.pieces;
    this.pieces = [];
    this.kept = 0;
    if (byteLength > this.maxValueBytes) {
      return { kind: 'skip', loc, reason: `element is ${byteLength} bytes, over the limit of ${this.maxValueBytes} bytes per value` };
    }
    const bytes = pieces.length === 1 ? pieces[0] : Buffer.concat(pieces);
    return classify(bytes.toString('utf8', 0, byteLength), loc);
  }

  /** The one event for content that is not an array (its loc is the first offending byte); reading stops. */
  private notAnArray(byteOffset: number, line: number, b: number): ReadEvent {
    this.phase = Phase.Stopped;
    const reason = `not a JSON array: the content starts with ${describeByte(b)} instead of "[" (this reader reads one top-level JSON array of records)`;
    return this.skipAt(byteOffset, line, reason);
  }

  private commaSkip(reason: string): ReadEvent {
    return this.skipAt(this.commaOffset, this.commaLine, reason);
  }

  private skipAt(byteOffset: number, line: number, reason: string, byteLength = 1): ReadEvent {
    return { kind: 'skip', loc: { line, byteOffset, byteLength }, reason };
  }
}

/** Yields every element of the JSON array in the file at `path`, decompressing gzip transparently. */
export const readJsonArray: RecordReader = (path, options = {}) =>
  splitFile(path, new JsonArraySplitter(options.maxValueBytes ?? DEFAULT_MAX_LINE_BYTES), options.chunkBytes ?? DEFAULT_CHUNK_BYTES, options.onProgress);

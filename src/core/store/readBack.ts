// Reads one event back from its export, content included: the store keeps only where it came from.
// Plain JSON Lines and JSON arrays: a direct read at the byte offset. CSV and gzip-compressed files cannot be
// entered in the middle, so the file is read again from the start up to the value (slower, same result).
import fs from 'node:fs';
import type { ContainerFormatId } from '../../shared/protocol';
import { sha256 } from '../formats/auditlens';
import { mapValue, type MapOptions } from '../formats/mapValue';
import type { NormalizedEvent } from '../model/normalized';
import { READERS } from '../ingest/readers';

export interface StoredLocation {
  fileIndex: number;
  line: number;
  byteOffset: number;
  byteLength: number;
  idx: number;
  /** Fields as the store has them after loading (inherited from the root span, merged from later parts). */
  derived?: Partial<Pick<NormalizedEvent, 'sessionId' | 'userId' | 'requestModel' | 'responseModel' | 'inputTokens' | 'outputTokens' | 'cachedTokens' | 'status' | 'errorType' | 'errorMessage' | 'endTs' | 'latencyMs' | 'finishReason'>>;
}

export interface SourceFile {
  path: string;
  format: ContainerFormatId;
  compressed: boolean;
}

function readRange(path: string, offset: number, length: number): string {
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    fs.closeSync(fd);
  }
}

async function findValue(file: SourceFile, loc: StoredLocation): Promise<unknown> {
  for await (const ev of READERS[file.format](file.path)) {
    if (ev.kind === 'value' && ev.loc.byteOffset === loc.byteOffset) return ev.value;
    if (ev.loc.byteOffset > loc.byteOffset) break;
  }
  throw new Error(`line ${loc.line} of ${file.path} no longer holds the record that was loaded (has the file changed?)`);
}

export async function readEventBack(file: SourceFile, loc: StoredLocation, options: MapOptions = {}): Promise<{ event: NormalizedEvent; source: string }> {
  let value: unknown;
  let source: string;
  if (!file.compressed && (file.format === 'jsonl' || file.format === 'json-array' || file.format === 'json-document')) {
    source = readRange(file.path, loc.byteOffset, loc.byteLength);
    try {
      value = JSON.parse(source);
    } catch {
      throw new Error(`line ${loc.line} of ${file.path} no longer holds valid JSON (has the file changed since it was loaded?)`);
    }
  } else {
    value = await findValue(file, loc);
    try {
      source = JSON.stringify(value, null, 2);
    } catch (err) {
      // A value nested deeper than the stack allows (hostile input): say so rather than fail the read-back.
      source = `[the source text cannot be shown: ${err instanceof Error ? err.message : String(err)}]`;
    }
  }
  const mapped = mapValue(value, { fileIndex: loc.fileIndex, line: loc.line, byteOffset: loc.byteOffset, byteLength: loc.byteLength }, options);
  const event = mapped.ok ? mapped.events[loc.idx] : undefined;
  if (!event) throw new Error(`line ${loc.line} of ${file.path} no longer holds the event that was loaded (has the file changed?)`);
  return { event, source };
}

/**
 * Adds the content of the records linked to a span (OTLP log records with its trace and span id) to the span's
 * own content: request messages to the input, choices to the output, in file order.
 */
export function joinLinkedContent(span: NormalizedEvent, linked: NormalizedEvent[]): NormalizedEvent {
  for (const m of linked) {
    if (m.content.system && !span.content.system) span.content.system = m.content.system;
    span.content.input.push(...m.content.input.filter((x) => x.role !== 'system' || !span.content.system));
    span.content.output.push(...m.content.output);
    span.content.toolCalls.push(...m.content.toolCalls);
    if (!span.finishReason && m.finishReason) span.finishReason = m.finishReason;
  }
  if (span.content.system && !span.promptHash) span.promptHash = sha256(span.content.system);
  return span;
}

/** Reads an event back and, for a span, joins the content of its linked records (possibly in other files). */
export async function readEventWithContent(
  files: readonly SourceFile[],
  locate: (rowid: number) => StoredLocation | null,
  linked: (traceId: string, spanId: string) => number[],
  rowid: number,
  options: MapOptions = {},
): Promise<{ event: NormalizedEvent; source: string } | null> {
  const loc = locate(rowid);
  if (!loc) return null;
  const result = await readEventBack(files[loc.fileIndex], loc, options);
  const { event } = result;
  // What the store derived after loading wins: inherited session/user, and fields merged from later parts
  // of the same operation (a Langfuse update, an OpenAI Batch output line).
  for (const [key, value] of Object.entries(loc.derived ?? {})) {
    if (value !== null && value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
  }
  if (event.traceId && event.spanId && event.kind !== 'message') {
    const parts: NormalizedEvent[] = [];
    for (const id of linked(event.traceId, event.spanId)) {
      const l = locate(id);
      if (l) parts.push((await readEventBack(files[l.fileIndex], l, options)).event);
    }
    joinLinkedContent(event, parts);
  }
  return result;
}

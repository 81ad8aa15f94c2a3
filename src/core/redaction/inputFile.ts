// What scanning and copying need to know about an input file before reading it: its container format (detected
// as the viewer detects it, or given), whether it is gzip, and its SHA-256 (over the bytes on disk).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { detectFormat, type ContainerFormat } from '../ingest/detectFormat';
import { isGzipFile } from '../ingest/lineReader';

export interface InputFile {
  path: string;
  format: ContainerFormat;
  /** Why this format (the detector's reason, or "given by the caller"). */
  formatReason: string;
  compressed: boolean;
}

export async function inspectInput(file: string, format?: ContainerFormat): Promise<InputFile> {
  const compressed = isGzipFile(file); // throws ENOENT for a missing file
  if (format) return { path: file, format, formatReason: 'given by the caller', compressed };
  const d = await detectFormat(file, path.basename(file), compressed);
  return { path: file, format: d.format, formatReason: d.reason, compressed };
}

/** SHA-256 (hex) of the file's bytes as stored (compressed bytes for gzip). */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { signal, highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

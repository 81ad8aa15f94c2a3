// What every format reader yields: parsed values with where they came from, lines it skipped with the reason,
// and blank input. A reader never throws for bad content (only for I/O errors such as a missing file).

export interface SourceLoc {
  /** 1-based line where the value starts (for CSV: where the row starts; for a JSON array: where the element starts). */
  line: number;
  /** Byte offset of the value's first byte in the (decompressed) content. */
  byteOffset: number;
  /** Length in bytes of the value's text. */
  byteLength: number;
}

export type ReadEvent =
  | { kind: 'value'; value: unknown; loc: SourceLoc }
  | { kind: 'skip'; loc: SourceLoc; reason: string }
  | { kind: 'blank'; loc: SourceLoc };

export interface ReaderOptions {
  /** A single value (line, array element, CSV row) longer than this is skipped as oversize. Default 64 MiB. */
  maxValueBytes?: number;
  /** Bytes read from disk so far (compressed bytes for gzip). */
  onProgress?: (bytesRead: number) => void;
  /** Read size. Default 4 MiB. */
  chunkBytes?: number;
}

export type RecordReader = (path: string, options?: ReaderOptions) => AsyncGenerator<ReadEvent>;

// Where exports are written, safely: never over an input export (the same path, a symlink to it or a hard link of
// it), never over an existing file unless asked, and never a half-written file: output goes to a temporary file
// beside the target, renamed into place when complete and removed on cancel or error.
import { createHash, randomBytes, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export class OutputRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputRefusedError';
  }
}

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
const norm = (p: string) => (caseInsensitive ? p.toLowerCase() : p);

/** The path with symlinks resolved as far as it exists (the missing tail appended as written). */
export function resolvedPath(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

function sameFile(a: string, b: string): boolean {
  if (norm(resolvedPath(a)) === norm(resolvedPath(b))) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino && sa.ino !== 0;
  } catch {
    return false;
  }
}

export interface OutputCheckOptions {
  /** The input exports: refused as output, whatever `overwrite` says. */
  inputPaths?: readonly string[];
  /** Replace an existing file (never an input). Default false. */
  overwrite?: boolean;
  /** What is being written, for messages ("export", "bundle folder"). */
  what?: string;
}

/** Throws OutputRefusedError when writing `out` is not allowed. */
export function assertSafeOutputPath(out: string, options: OutputCheckOptions = {}): void {
  const what = options.what ?? 'output';
  if (!out || out.trim() === '') throw new OutputRefusedError(`Refused: no ${what} path given`);
  for (const input of options.inputPaths ?? []) {
    if (sameFile(out, input)) throw new OutputRefusedError(`Refused: the ${what} path ${out} is the input export ${input}; the source export is never overwritten`);
  }
  if (fs.existsSync(out)) {
    if (fs.statSync(out).isDirectory()) throw new OutputRefusedError(`Refused: the ${what} path ${out} is a folder`);
    if (!options.overwrite) throw new OutputRefusedError(`Refused: ${out} already exists (choose another name, or allow overwriting)`);
  }
  const dir = path.dirname(path.resolve(out));
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new OutputRefusedError(`Refused: the folder ${dir} does not exist`);
}

export function abortError(signal: AbortSignal | undefined): Error {
  const reason = signal?.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('cancelled');
  err.name = 'AbortError';
  return err;
}

/** A file written through a temporary sibling: commit() renames it into place, abort() removes it. */
export class OutputFile {
  readonly tempPath: string;
  private readonly stream: fs.WriteStream;
  private readonly hash: Hash = createHash('sha256');
  private failed: Error | null = null;
  private closed = false;
  bytes = 0;

  private constructor(
    /** The final path (absolute). */
    readonly target: string,
    private readonly options: OutputCheckOptions,
  ) {
    this.tempPath = path.join(path.dirname(target), `.${path.basename(target)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
    this.stream = fs.createWriteStream(this.tempPath, { flags: 'wx' });
    this.stream.on('error', (err) => {
      this.failed = err;
    });
  }

  /** Checks the path (assertSafeOutputPath) and opens its temporary file. */
  static open(out: string, options: OutputCheckOptions = {}): OutputFile {
    assertSafeOutputPath(out, options);
    return new OutputFile(path.resolve(out), options);
  }

  async write(chunk: string | Buffer): Promise<void> {
    if (this.failed) throw this.failed;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.hash.update(buf);
    this.bytes += buf.length;
    if (!this.stream.write(buf)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = () => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (err: Error) => {
          this.stream.off('drain', onDrain);
          reject(err);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.failed) throw this.failed;
  }

  /** Closes and renames into place; returns the SHA-256 of what was written. */
  async commit(): Promise<string> {
    try {
      await this.close();
      // Checked again: the target may have appeared (or become a link to an input) while writing.
      assertSafeOutputPath(this.target, this.options);
      fs.renameSync(this.tempPath, this.target);
      return this.hash.digest('hex');
    } catch (err) {
      await this.abort();
      throw err;
    }
  }

  /** Stops writing and removes the temporary file (the target is untouched). */
  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      if (!this.stream.closed) {
        await new Promise<void>((resolve) => {
          this.stream.once('close', () => resolve());
          this.stream.destroy();
        });
      }
    }
    fs.rmSync(this.tempPath, { force: true });
  }
}

/** SHA-256 of a file's bytes, streamed. */
export async function sha256File(file: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw abortError(signal);
      hash.update(chunk);
    }
  } finally {
    stream.destroy();
  }
  return hash.digest('hex');
}

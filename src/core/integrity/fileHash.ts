// The SHA-256 of an export file as stored, for the report. Hashing a large file costs about as much CPU as hashing
// every record once, so for large files it runs on a worker thread, next to the verification instead of taking
// turns with it on the same thread; small files (and machines with one core) are hashed on the calling thread.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { sha256File } from './logSources';

/** Files at least this large are hashed on a worker thread. */
export const WORKER_HASH_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Logs at least this large (all files together) are verified with a worker thread next to the verifier
 * (chunkWorker.ts). Tests lower it to run the worker on small logs.
 */
export const workerTuning = { minBytes: WORKER_HASH_MIN_BYTES };

// Plain CommonJS run by the worker (eval), so it needs no file of its own next to the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
try {
  const h = createHash('sha256');
  const fd = fs.openSync(workerData.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  parentPort.postMessage({ hex: h.digest('hex') });
} catch (err) {
  parentPort.postMessage({ error: err && err.message ? err.message : String(err), code: err && err.code });
}
`;

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const err = new Error('The operation was aborted');
  err.name = 'AbortError';
  return err;
}

/** SHA-256 (hex) of a file's bytes on a worker thread; falls back to the calling thread when no worker can start. */
export function sha256FileOnWorker(file: string, signal?: AbortSignal): Promise<string> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: file } });
  } catch {
    return sha256File(file, signal);
  }
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      done(() => reject(abortError(signal as AbortSignal)));
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (m: { hex?: string; error?: string; code?: string }) => {
      if (typeof m.hex === 'string') done(() => resolve(m.hex as string));
      else done(() => reject(Object.assign(new Error(m.error ?? 'hashing failed'), m.code ? { code: m.code } : {})));
    });
    // The worker itself failed (not the file): hash on this thread instead.
    worker.once('error', () => done(() => sha256File(file, signal).then(resolve, reject)));
    worker.once('exit', () => done(() => sha256File(file, signal).then(resolve, reject)));
  });
}

/** True when the machine has more than one core (work on a worker thread then runs next to the caller's). */
export function spareCores(): boolean {
  return (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) >= 2;
}

/** SHA-256 (hex) of a file as stored: on a worker thread when the file is large and there is a core to spare. */
export function sha256OfExport(file: string, bytes: number, signal?: AbortSignal, minWorkerBytes = WORKER_HASH_MIN_BYTES): Promise<string> {
  if (bytes >= minWorkerBytes && spareCores()) return sha256FileOnWorker(file, signal);
  return sha256File(file, signal);
}

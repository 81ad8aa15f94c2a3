// The host's side of the database worker: a thin typed RPC over worker_threads. No `vscode` import, so it is
// tested in plain Node against the built worker.
import { Worker } from 'node:worker_threads';
import type {
  LoadProgress,
  WorkerMessage,
  WorkerReplies,
  WorkerRequest,
  WorkerRequestKind,
} from '../shared/protocol';

type RequestOf<K extends WorkerRequestKind> = Omit<Extract<WorkerRequest, { kind: K }>, 'id'>;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  onProgress?: (p: LoadProgress) => void;
}

/**
 * The database worker's JS heap limit (its WASM database is outside it). Reaching it stops the worker with an error
 * the views report; without a limit, V8 running out of heap in a worker aborts the whole extension host.
 */
export const DB_WORKER_HEAP_MB = 4096;

export class DbClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closedError: Error | undefined;

  constructor(workerPath: string, resourceLimits: { maxOldGenerationSizeMb?: number } = { maxOldGenerationSizeMb: DB_WORKER_HEAP_MB }) {
    this.worker = new Worker(workerPath, { resourceLimits });
    this.worker.on('message', (msg: WorkerMessage) => this.onMessage(msg));
    this.worker.on('error', (err) => this.failAll(new Error(`database worker failed: ${err.message}`)));
    this.worker.on('exit', (code) => this.failAll(new Error(`database worker stopped (exit code ${code})`)));
  }

  request<K extends WorkerRequestKind>(
    req: RequestOf<K> & { kind: K },
    onProgress?: (p: LoadProgress) => void,
  ): Promise<WorkerReplies[K]> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<WorkerReplies[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  /** The id the next request will get (to cancel it later with `cancel`). */
  peekNextId(): number {
    return this.nextId;
  }

  /** Aborts a running cancellable request (the worker keeps its database). */
  cancel(target: number): void {
    if (!this.closedError) void this.request({ kind: 'cancel', target }).catch(() => undefined);
  }

  /** Stops the worker; pending requests fail with "cancelled". Safe to call twice. */
  async dispose(): Promise<void> {
    if (!this.closedError) {
      this.failAll(new Error('cancelled'));
      await this.worker.terminate();
    }
  }

  private onMessage(msg: WorkerMessage): void {
    switch (msg.kind) {
      case 'ready':
        return;
      case 'progress':
        this.pending.get(msg.id)?.onProgress?.(msg.progress);
        return;
      case 'reply':
        this.pending.get(msg.id)?.resolve(msg.result);
        this.pending.delete(msg.id);
        return;
      case 'failed':
        this.pending.get(msg.id)?.reject(new Error(msg.message));
        this.pending.delete(msg.id);
        return;
    }
  }

  private failAll(err: Error): void {
    this.closedError ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

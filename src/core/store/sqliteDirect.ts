// The bulk-insert path under sql.js's Statement API: SQLite's C functions as the sql.js build exports them, called
// with strings encoded straight into WASM memory (TextEncoder.encodeInto, native) and bound without a copy.
// sql.js's own Statement.bind converts every string character by character in JS and mallocs each one, which was
// the largest single cost of loading a big export (bench/README.md). Only inserts use this; reads stay on sql.js.
import type { Database } from 'sql.js';
import { CELL_DOUBLE, CELL_INT, CELL_NULL, type PackedRows } from './packedRows';

/** The C functions of the sql.js build used here (sql.js exports them on its module object, untyped). */
export interface SqliteExports {
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  _sqlite3_open(filename: number, ppDb: number): number;
  _sqlite3_close_v2(db: number): number;
  _sqlite3_prepare_v2(db: number, sql: number, nByte: number, ppStmt: number, pzTail: number): number;
  _sqlite3_bind_text(stmt: number, index: number, text: number, nBytes: number, destructor: number): number;
  _sqlite3_bind_int(stmt: number, index: number, value: number): number;
  _sqlite3_bind_double(stmt: number, index: number, value: number): number;
  _sqlite3_clear_bindings(stmt: number): number;
  _sqlite3_step(stmt: number): number;
  _sqlite3_reset(stmt: number): number;
  _sqlite3_finalize(stmt: number): number;
  _sqlite3_errmsg(db: number): number;
  _RegisterExtensionFunctions(db: number): number;
  stringToNewUTF8(s: string): number;
  UTF8ToString(ptr: number): string;
}

const SQLITE_OK = 0;
const SQLITE_DONE = 101;
const SQLITE_NOMEM = 7;
/** The sql.js build's cap on its WASM heap. */
export const WASM_HEAP_LIMIT_GIB = 2;
const SQLITE_STATIC = 0;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The raw handle of one sql.js Database and the WASM memory behind it. */
export class DirectDb {
  private heap: Uint8Array;

  constructor(
    readonly api: SqliteExports,
    private readonly memory: WebAssembly.Memory,
    readonly db: Database,
  ) {
    this.heap = new Uint8Array(memory.buffer);
  }

  /** sql.js keeps the sqlite3* in `db.db` (a plain property of its Database class). */
  get handle(): number {
    return (this.db as unknown as { db: number }).db;
  }

  /** A view of WASM memory, renewed when memory has grown (growth detaches the old buffer). */
  bytes(): Uint8Array {
    if (this.heap.buffer !== this.memory.buffer) this.heap = new Uint8Array(this.memory.buffer);
    return this.heap;
  }

  int32At(ptr: number): number {
    return new DataView(this.memory.buffer).getInt32(ptr, true);
  }

  check(rc: number, what: string): void {
    if (rc !== SQLITE_OK) throw new Error(`${what}: ${this.api.UTF8ToString(this.api._sqlite3_errmsg(this.handle))} (SQLite code ${rc})`);
  }

  /**
   * Replaces the database file sql.js opened (a file in its JS-side in-memory file system, which grows by copying
   * and holds a second copy of every page) by a true SQLite `:memory:` database. Done before anything is stored.
   */
  useMemoryDatabase(): void {
    const name = this.api.stringToNewUTF8(':memory:');
    const out = this.api._malloc(4);
    try {
      const rc = this.api._sqlite3_open(name, out);
      const handle = this.int32At(out);
      if (rc !== SQLITE_OK) {
        if (handle) this.api._sqlite3_close_v2(handle);
        throw new Error(`could not open an in-memory database (SQLite code ${rc})`);
      }
      this.api._sqlite3_close_v2(this.handle);
      (this.db as unknown as { db: number }).db = handle;
      // What sql.js's constructor does for its own handle: its extra SQL functions (sqrt, stdev, ...).
      this.api._RegisterExtensionFunctions(handle);
    } finally {
      this.api._free(name);
      this.api._free(out);
    }
  }
}

export type DirectValue = string | number | null | undefined;

/** A number added to one integer column (0-based) of every packed row. */
export interface Rebase {
  column: number;
  add: number;
}
const NO_REBASE: Rebase = { column: 0, add: 0 };

/** One prepared INSERT (or other statement without result rows) run with values bound through the C API. */
export class DirectStatement {
  private stmt = 0;
  private scratch = 0;
  private scratchBytes = 0;
  private readonly encoder = new TextEncoder();

  constructor(
    private readonly d: DirectDb,
    sql: string,
  ) {
    const text = d.api.stringToNewUTF8(sql);
    const out = d.api._malloc(4);
    try {
      d.check(d.api._sqlite3_prepare_v2(d.handle, text, -1, out, 0), 'prepare');
      this.stmt = d.int32At(out);
    } finally {
      d.api._free(text);
      d.api._free(out);
    }
    this.reserve(64 * 1024);
  }

  private reserve(bytes: number): void {
    if (bytes <= this.scratchBytes) return;
    const size = Math.max(bytes, this.scratchBytes * 2);
    if (this.scratch) this.d.api._free(this.scratch);
    this.scratch = this.d.api._malloc(size);
    if (!this.scratch) throw new Error(`out of WASM memory (asked for ${size} bytes)`);
    this.scratchBytes = size;
  }

  /** Binds the values to ?1..?n (null/undefined stay NULL) and steps once. */
  run(values: readonly DirectValue[]): void {
    const { api } = this.d;
    const stmt = this.stmt;
    // Room for every string at UTF-8's worst case (3 bytes per UTF-16 unit), so the scratch never moves mid-row.
    let need = 0;
    for (const v of values) if (typeof v === 'string') need += v.length * 3;
    this.reserve(need);
    api._sqlite3_clear_bindings(stmt);
    const heap = this.d.bytes();
    let at = this.scratch;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === null || v === undefined) continue;
      let rc: number;
      if (typeof v === 'number') {
        rc = Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? api._sqlite3_bind_int(stmt, i + 1, v) : api._sqlite3_bind_double(stmt, i + 1, v);
      } else {
        const n = v.length === 0 ? 0 : this.encoder.encodeInto(v, heap.subarray(at, at + v.length * 3)).written;
        rc = api._sqlite3_bind_text(stmt, i + 1, at, n, SQLITE_STATIC);
        at += n;
      }
      if (rc !== SQLITE_OK) this.d.check(rc, `bind ?${i + 1}`);
    }
    this.step();
  }

  /**
   * Runs the statement once per packed row: the batch's UTF-8 is copied into WASM memory once and every string is
   * bound where it lies. `rebase` adds a number to one int column: packed chunk rows carry their event's index in
   * the batch (the store makes it the event's rowid), rows parsed from a block of a file carry line numbers counted
   * from the block's first line.
   */
  runPacked(p: PackedRows, rebase: Rebase = NO_REBASE): void {
    const { api } = this.d;
    const stmt = this.stmt;
    this.reserve(p.text.length);
    this.d.bytes().set(p.text, this.scratch);
    const { cells, nums } = p;
    const base = this.scratch;
    const rebaseAt = rebase.add === 0 ? -1 : rebase.column + 1;
    for (let row = 0; row < p.rows; row++) {
      api._sqlite3_clear_bindings(stmt);
      let c = row * p.columns * 2;
      for (let i = 1; i <= p.columns; i++, c += 2) {
        const a = cells[c];
        const b = cells[c + 1];
        if (b === CELL_NULL) continue;
        let rc: number;
        if (b === CELL_INT) rc = i === rebaseAt ? api._sqlite3_bind_double(stmt, i, a + rebase.add) : api._sqlite3_bind_int(stmt, i, a);
        else if (b === CELL_DOUBLE) rc = api._sqlite3_bind_double(stmt, i, nums[a]);
        else rc = api._sqlite3_bind_text(stmt, i, base + a, b, SQLITE_STATIC);
        if (rc !== SQLITE_OK) this.d.check(rc, `bind ?${i}`);
      }
      this.step();
    }
  }

  private step(): void {
    const { api } = this.d;
    const rc = api._sqlite3_step(this.stmt);
    if (rc !== SQLITE_DONE) {
      const message = api.UTF8ToString(api._sqlite3_errmsg(this.d.handle));
      api._sqlite3_reset(this.stmt);
      if (rc === SQLITE_NOMEM) {
        throw new Error(`the in-memory database is full: sql.js can use at most ${WASM_HEAP_LIMIT_GIB} GiB (about two million events with this schema); open fewer or smaller files`);
      }
      throw new Error(`insert: ${message} (SQLite code ${rc})`);
    }
    api._sqlite3_reset(this.stmt);
  }

  free(): void {
    if (this.stmt) this.d.api._sqlite3_finalize(this.stmt);
    if (this.scratch) this.d.api._free(this.scratch);
    this.stmt = 0;
    this.scratch = 0;
  }
}

const direct = new WeakMap<Database, DirectDb>();

export function registerDirect(d: DirectDb): void {
  direct.set(d.db, d);
}

/** The direct path of a database opened by openDatabase, if it has one (others fall back to sql.js's API). */
export function directOf(db: Database): DirectDb | undefined {
  return direct.get(db);
}

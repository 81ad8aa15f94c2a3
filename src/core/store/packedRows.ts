// Rows of SQL values packed into three typed arrays, to cross from the parse worker to the database worker as
// transferable buffers (no structured clone of objects) and to be bound from WASM memory without decoding:
//   cells  two Int32 per value: [offset, length] of UTF-8 text, [value, INT] an int32, [index, DOUBLE] a double in
//          `nums`, [0, NULL] a NULL;
//   nums   the doubles;
//   text   the UTF-8 bytes of every string, back to back.
import type { DirectValue } from './sqliteDirect';

export const CELL_NULL = -1;
export const CELL_INT = -2;
export const CELL_DOUBLE = -3;

export interface PackedRows {
  columns: number;
  rows: number;
  cells: Int32Array;
  nums: Float64Array;
  text: Uint8Array;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Appends rows of a fixed width; `take()` hands out what it holds and starts over. */
export class RowPacker {
  private cells: Int32Array;
  private nums: Float64Array;
  private text: Uint8Array;
  private cellAt = 0;
  private numAt = 0;
  private textAt = 0;
  private rowCount = 0;
  private readonly encoder = new TextEncoder();

  constructor(
    readonly columns: number,
    rowsHint = 1024,
  ) {
    this.cells = new Int32Array(columns * 2 * rowsHint);
    this.nums = new Float64Array(columns * rowsHint);
    this.text = new Uint8Array(columns * 16 * rowsHint);
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Bytes held (for batching by size). */
  get bytes(): number {
    return this.textAt + this.cellAt * 4 + this.numAt * 8;
  }

  add(values: readonly DirectValue[]): void {
    if (values.length !== this.columns) throw new Error(`a row of ${values.length} values where ${this.columns} columns are packed`);
    if (this.cellAt + this.columns * 2 > this.cells.length) this.cells = grow(this.cells, this.cellAt + this.columns * 2);
    for (const v of values) {
      const c = this.cellAt;
      this.cellAt += 2;
      if (v === null || v === undefined) {
        this.cells[c] = 0;
        this.cells[c + 1] = CELL_NULL;
      } else if (typeof v === 'number') {
        if (Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) {
          this.cells[c] = v;
          this.cells[c + 1] = CELL_INT;
        } else {
          if (this.numAt === this.nums.length) this.nums = grow(this.nums, this.numAt + 1);
          this.nums[this.numAt] = v;
          this.cells[c] = this.numAt++;
          this.cells[c + 1] = CELL_DOUBLE;
        }
      } else {
        const worst = v.length * 3;
        if (this.textAt + worst > this.text.length) this.text = grow(this.text, this.textAt + worst);
        const n = v.length === 0 ? 0 : this.encoder.encodeInto(v, this.text.subarray(this.textAt)).written;
        this.cells[c] = this.textAt;
        this.cells[c + 1] = n;
        this.textAt += n;
      }
    }
    this.rowCount++;
  }

  /** What was packed since the last take, as exact-size arrays (their buffers can be transferred). */
  take(): PackedRows {
    const out: PackedRows = {
      columns: this.columns,
      rows: this.rowCount,
      cells: this.cells.slice(0, this.cellAt),
      nums: this.nums.slice(0, this.numAt),
      text: this.text.slice(0, this.textAt),
    };
    this.cellAt = 0;
    this.numAt = 0;
    this.textAt = 0;
    this.rowCount = 0;
    return out;
  }
}

function grow<T extends Int32Array | Float64Array | Uint8Array>(a: T, atLeast: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(atLeast, a.length * 2));
  next.set(a);
  return next;
}

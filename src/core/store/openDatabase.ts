// Opens an empty in-memory sql.js database, given where sql-wasm.wasm lives (beside the bundle in dist/,
// or in node_modules for tests and tools).
import fs from 'node:fs';
import initSqlJs, { type Database } from 'sql.js';

export async function openDatabase(wasmPath: string): Promise<Database> {
  const wasmBinary = fs.readFileSync(wasmPath);
  const SQL = await initSqlJs({ wasmBinary: wasmBinary.buffer.slice(wasmBinary.byteOffset, wasmBinary.byteOffset + wasmBinary.byteLength) as ArrayBuffer });
  return new SQL.Database();
}

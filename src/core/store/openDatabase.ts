// Opens an empty in-memory sql.js database, given where sql-wasm.wasm lives (beside the bundle in dist/,
// or in node_modules for tests and tools). The database is a true SQLite `:memory:` one (not sql.js's default file in
// its JS-side file system), and it comes with the direct insert path of sqliteDirect.ts.
import fs from 'node:fs';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { DirectDb, registerDirect, type SqliteExports } from './sqliteDirect';

/** sql.js instantiates its module once per process (initSqlJs caches it): so is its memory, kept from that one time. */
let loaded: Promise<{ SQL: SqlJsStatic; memory: WebAssembly.Memory }> | undefined;

function loadSqlJs(wasmPath: string): Promise<{ SQL: SqlJsStatic; memory: WebAssembly.Memory }> {
  loaded ??= (async () => {
    const wasmBinary = fs.readFileSync(wasmPath);
    let memory: WebAssembly.Memory | undefined;
    let failed: (e: unknown) => void = () => {};
    const instantiateFailed = new Promise<never>((_, reject) => (failed = reject));
    const init = initSqlJs({
      // Instantiated here to keep hold of the module's memory, which sql.js does not expose.
      instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
        WebAssembly.instantiate(wasmBinary, imports).then(({ instance, module }) => {
          memory = Object.values(instance.exports).find((x): x is WebAssembly.Memory => x instanceof WebAssembly.Memory);
          done(instance, module);
        }, failed);
        return {};
      },
    } as Parameters<typeof initSqlJs>[0]);
    const SQL = await Promise.race([init, instantiateFailed]);
    if (!memory) throw new Error('sql.js: the WASM module was instantiated elsewhere, or exports no memory');
    return { SQL, memory };
  })();
  loaded.catch(() => (loaded = undefined));
  return loaded;
}

export async function openDatabase(wasmPath: string): Promise<Database> {
  const { SQL, memory } = await loadSqlJs(wasmPath);
  const db = new SQL.Database();
  const direct = new DirectDb(SQL as unknown as SqliteExports, memory, db);
  direct.useMemoryDatabase();
  registerDirect(direct);
  return db;
}

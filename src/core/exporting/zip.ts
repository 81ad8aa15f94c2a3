// A minimal zip writer: STORE method (no compression), CRC-32, UTF-8 names, no ZIP64 (each file and the archive
// under 4 GiB, at most 65,535 entries). Enough to hand an evidence folder over as one file that every unzip opens.
import fs from 'node:fs';
import { OutputFile, abortError, type OutputCheckOptions } from './outputFile';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zip and gzip use), continuing from `crc` for streamed data. */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

async function fileCrc(file: string, signal?: AbortSignal): Promise<number> {
  let crc = 0;
  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw abortError(signal);
      crc = crc32(chunk, crc);
    }
  } finally {
    stream.destroy();
  }
  return crc;
}

function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.max(1980, d.getUTCFullYear());
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}

export interface ZipEntry {
  /** The name inside the archive (forward slashes). */
  name: string;
  /** The file on disk to store. */
  file: string;
}

const LIMIT = 0xffffffff;

/** Writes the files into a zip at `outPath` (checked and written like every export: temporary file, then renamed). */
export async function writeZip(entries: readonly ZipEntry[], outPath: string, options: OutputCheckOptions & { signal?: AbortSignal; mtime?: Date } = {}): Promise<{ path: string; bytes: number; sha256: string }> {
  if (entries.length > 0xffff) throw new Error(`too many files for a zip without ZIP64 (${entries.length})`);
  for (const e of entries) {
    if (!e.name || e.name.startsWith('/') || e.name.split('/').includes('..')) throw new Error(`unsafe name in zip: ${e.name}`);
    if (fs.statSync(e.file).size >= LIMIT) throw new Error(`${e.file} is too large for a zip without ZIP64 (4 GiB)`);
  }
  const out = OutputFile.open(outPath, { ...options, what: options.what ?? 'zip' });
  const { time, date } = dosDateTime(options.mtime ?? new Date());
  const central: Buffer[] = [];
  try {
    for (const e of entries) {
      if (options.signal?.aborted) throw abortError(options.signal);
      const size = fs.statSync(e.file).size;
      const crc = await fileCrc(e.file, options.signal);
      const name = Buffer.from(e.name, 'utf8');
      const offset = out.bytes;
      if (offset + 30 + name.length + size >= LIMIT) throw new Error('the zip would exceed 4 GiB (no ZIP64 support)');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(0, 8); // STORE
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(size, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(name.length, 26);
      local.writeUInt16LE(0, 28);
      await out.write(local);
      await out.write(name);
      const stream = fs.createReadStream(e.file, { highWaterMark: 1024 * 1024 });
      let written = 0;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          if (options.signal?.aborted) throw abortError(options.signal);
          await out.write(chunk);
          written += chunk.length;
        }
      } finally {
        stream.destroy();
      }
      if (written !== size) throw new Error(`${e.file} changed while it was zipped`);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(0x0314, 4); // made by: Unix, spec 2.0
      cd.writeUInt16LE(20, 6);
      cd.writeUInt16LE(0x0800, 8);
      cd.writeUInt16LE(0, 10);
      cd.writeUInt16LE(time, 12);
      cd.writeUInt16LE(date, 14);
      cd.writeUInt32LE(crc, 16);
      cd.writeUInt32LE(size, 20);
      cd.writeUInt32LE(size, 24);
      cd.writeUInt16LE(name.length, 28);
      cd.writeUInt16LE(0, 30); // extra
      cd.writeUInt16LE(0, 32); // comment
      cd.writeUInt16LE(0, 34); // disk
      cd.writeUInt16LE(0, 36); // internal attributes
      cd.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external: regular file, rw-r--r--
      cd.writeUInt32LE(offset, 42);
      central.push(cd, name);
    }
    const cdOffset = out.bytes;
    const cdBytes = Buffer.concat(central);
    if (cdOffset + cdBytes.length + 22 >= LIMIT) throw new Error('the zip would exceed 4 GiB (no ZIP64 support)');
    await out.write(cdBytes);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(0, 4);
    end.writeUInt16LE(0, 6);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(cdBytes.length, 12);
    end.writeUInt32LE(cdOffset, 16);
    end.writeUInt16LE(0, 20);
    await out.write(end);
    const sha256 = await out.commit();
    return { path: out.target, bytes: out.bytes, sha256 };
  } catch (err) {
    await out.abort();
    throw err;
  }
}

/** Reads a STORE-only zip written by writeZip (for verification and tests): name → content, CRCs checked. */
export function readStoredZip(zip: Buffer): Map<string, Buffer> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error('not a zip (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error('bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 20);
    const nameLen = zip.readUInt16LE(p + 28);
    const extra = zip.readUInt16LE(p + 30);
    const comment = zip.readUInt16LE(p + 32);
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    if (method !== 0) throw new Error(`${name}: compression method ${method} is not STORE`);
    const lname = zip.readUInt16LE(local + 26);
    const lextra = zip.readUInt16LE(local + 28);
    const data = zip.subarray(local + 30 + lname + lextra, local + 30 + lname + lextra + size);
    if (crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    out.set(name, Buffer.from(data));
    p += 46 + nameLen + extra + comment;
  }
  return out;
}

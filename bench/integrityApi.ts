// What bench/integrity.mjs needs from the TypeScript sources, bundled by esbuild into out/bench/integrityApi.js.
import fs from 'node:fs';
import { generateSample } from '../src/core/sample/generateSample';
import { VerifiableLogWriter, generateSigningKey } from '../src/core/integrity/sign';
export { verifyIntegrity } from '../src/core/integrity/verify';

/**
 * Writes about `records` sample records as JSON Lines, chained (jcs-sha256) and, with `signed`, with an Ed25519
 * checkpoint every 1000 records; generated in slices of sessions so memory stays small. Returns the public key PEM.
 */
export function writeChainedExport(file: string, records: number, signed: boolean): { records: number; publicKeyPem: string | null } {
  const key = signed ? generateSigningKey('ed25519') : null;
  const writer = new VerifiableLogWriter({ signer: key ?? undefined, checkpointEvery: signed ? 1000 : 0, keepLeaves: false });
  const fd = fs.openSync(file, 'w');
  let seq = 0;
  let start = '2026-11-02T08:00:00.000Z';
  try {
    for (let slice = 0; seq < records; slice++) {
      const parts: string[] = [];
      const sample = generateSample({ seed: 1000 + slice, sessions: 400, start });
      start = new Date(Date.parse(sample[sample.length - 1].ts) + 1000).toISOString();
      for (const r of sample) {
        if (seq >= records) break;
        seq += 1;
        for (const line of writer.append({ ...(r as unknown as Record<string, unknown>), seq, id: `evt_${seq}` })) parts.push(JSON.stringify(line));
      }
      fs.writeSync(fd, parts.join('\n') + '\n');
    }
    if (key && writer.count % 1000 !== 0) fs.writeSync(fd, JSON.stringify(writer.checkpoint()) + '\n');
  } finally {
    fs.closeSync(fd);
  }
  return { records: seq, publicKeyPem: key ? key.publicKeyPem : null };
}

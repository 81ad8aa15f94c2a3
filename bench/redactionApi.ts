// What bench/redaction.mjs needs from the TypeScript sources. bench/redaction.mjs bundles it itself (esbuild) into
// out/bench/redactionApi.js, so `node esbuild.mjs && node bench/redaction.mjs` works without an esbuild.mjs entry.
import fs from 'node:fs';
import { generateSample, toJsonl } from '../src/core/sample/generateSample';
export { Detector } from '../src/core/redaction/detect';
export { redactFile } from '../src/core/redaction/redactFile';
export { scanFile } from '../src/core/redaction/scanFile';
export { BUILT_IN_TYPES } from '../src/core/redaction/types';
export { evaluate, generateCorpus, hardNegativeHits, scoreTable } from '../test/unit/redactionCorpus';

/** Writes about `records` sample records (whole sessions, hash-chained, with the sample's fake PII) as JSON Lines. */
export function writeSampleExport(file: string, records: number): number {
  const sessions = Math.max(1, Math.round(records / 6.2));
  const sample = generateSample({ sessions });
  fs.writeFileSync(file, toJsonl(sample));
  return sample.length;
}

// What the benchmark script needs from the TypeScript sources, bundled by esbuild into out/bench/benchApi.js.
import fs from 'node:fs';
import { generateSample, toJsonl } from '../src/core/sample/generateSample';
export { DbClient } from '../src/host/dbClient';

/** Writes about `records` sample records (whole sessions, a hash chain) as JSON Lines, in slices to bound memory. */
export function writeSampleExport(file: string, records: number): void {
  const perSession = 6.2;
  const sessions = Math.max(1, Math.round(records / perSession));
  fs.writeFileSync(file, toJsonl(generateSample({ sessions })));
}

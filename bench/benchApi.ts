// What the benchmark scripts need from the TypeScript sources, bundled by esbuild into out/bench/benchApi.js.
import fs from 'node:fs';
import { generateSample, toJsonl } from '../src/core/sample/generateSample';
export { DbClient } from '../src/host/dbClient';
/** The project's record hash (default profile, jcs-sha256): bench/generate.mjs checks its fast chain against it. */
export { recordHash, GENESIS_HASH } from '../src/core/integrity/hashChain';
/** The streaming verifier the "Verify Integrity" command runs (in the database worker). */
export { verifyIntegrity } from '../src/core/integrity/verify';

/** Writes about `records` sample records (whole sessions, a hash chain) as JSON Lines, in slices to bound memory. */
export function writeSampleExport(file: string, records: number): void {
  const perSession = 6.2;
  const sessions = Math.max(1, Math.round(records / perSession));
  fs.writeFileSync(file, toJsonl(generateSample({ sessions })));
}

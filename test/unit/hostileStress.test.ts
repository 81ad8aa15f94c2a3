// The resource tests of test/stress (huge lines, gzip bombs, millions of lines, files changing under the reader,
// cancelling the worker), run with the unit tests. The heaviest variants need AUDITLENS_STRESS=1; see
// docs/security.md, "Resource limits". Needs the built worker: `node esbuild.mjs` first (npm run test:unit does it).
import '../stress/resources';

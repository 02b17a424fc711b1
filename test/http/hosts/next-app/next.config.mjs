// The test app of test/http/hosts/next.test.ts and test/http/browser.test.ts:
// a Next.js App Router app whose ChatKit backend is the package's fetch
// handler, imported by name from the built package (dist), which Next bundles
// into the route as it does an installed dependency.
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

export default {
  turbopack: { root: repo },
  outputFileTracingRoot: repo,
};

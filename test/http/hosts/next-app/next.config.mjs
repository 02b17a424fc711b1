// The test app of test/http/hosts/next.test.ts and test/http/browser.test.ts:
// a Next.js App Router app whose ChatKit backend is the package's fetch
// handler, imported by name from the package compiled into this app's
// node_modules (next-app-runner.ts does that), which Next bundles into the
// route as it does any installed dependency.
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

export default {
  turbopack: { root: repo },
  outputFileTracingRoot: repo,
};

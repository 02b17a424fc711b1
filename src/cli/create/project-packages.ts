/**
 * The packages a generated project installs beside create-chatkit-backend.
 * Our own package.json declares none of them as dependencies or peers:
 * `npx create-chatkit-backend` then downloads our tarball and nothing else
 * (with peers, npm fetches every peer's registry metadata even when it
 * installs none: three times slower). Their versions come from our
 * devDependencies; the CLI's bundle leaves them out (scripts/build.mjs) and
 * loads them from the project, so `dev`, `doctor` and `replay` run on the
 * versions the project installed.
 *
 * No imports here: the build script loads this file on its own.
 */

/**
 * Which libraries each public entry point loads (all of its modules,
 * transitively). A project that imports an entry point must install them.
 * test/create/project-packages.test.ts checks the table against the real
 * import graph of src/runtime and src/http.
 */
export const ENTRY_LIBRARIES: Readonly<Record<string, readonly string[]>> = {
  runtime: ['zod'],
  agents: ['@openai/agents'],
  widgets: ['nunjucks'],
  providers: ['@openai/agents', 'openai', 'zod'],
  'stores/sqlite': ['@libsql/client', 'libsql'],
  'stores/postgres': ['pg'],
  fastify: ['jose', 'zod'],
  fetch: ['jose', 'zod'],
  'attachments/s3': ['@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  'rate-limit/redis': ['ioredis'],
};

/**
 * What every project's tooling needs: `tsc`, `vitest`, Node's types, tsx for
 * `dev`/`doctor`/`replay`, ChatKit's types, and vite, vitest's peer: npm
 * installs a missing peer by itself, yarn does not (vitest then cannot start).
 */
export const PROJECT_TOOLS: readonly string[] = ['@openai/chatkit', '@types/node', 'tsx', 'typescript', 'vite', 'vitest'];

/** Everything a project may install: never bundled into the CLI. */
export const PROJECT_PACKAGES: readonly string[] = [...new Set([...Object.values(ENTRY_LIBRARIES).flat(), 'fastify', ...PROJECT_TOOLS])].sort();

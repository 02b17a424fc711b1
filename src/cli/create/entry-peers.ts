/**
 * Which of our peer packages each public entry point loads (all of its
 * modules, transitively). A generated project that imports an entry point
 * must install these. test/create/entry-peers.test.ts checks the table
 * against the real import graph of src/runtime and src/http, so it cannot
 * drift from the code.
 */
export const ENTRY_PEERS: Readonly<Record<string, readonly string[]>> = {
  runtime: ['zod'],
  agents: ['@openai/agents'],
  widgets: ['nunjucks'],
  providers: ['@openai/agents', 'openai', 'zod'],
  'stores/sqlite': ['@libsql/client'],
  'stores/postgres': ['pg'],
  fastify: ['@fastify/cors', '@fastify/multipart', 'jose'],
};

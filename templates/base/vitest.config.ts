import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The tests run the scripted model: offline, no key, deterministic.
    env: { NODE_ENV: 'test' },
    // Tests start real servers (and the replay test a CLI process): allow for a busy machine.
    testTimeout: 20_000,
  },
});

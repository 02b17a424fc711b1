/** dev's banner names the playground exactly when the plugin serves one. */
import { describe, expect, it } from 'vitest';
import { buildBanner } from '../../src/cli/dev/banner.js';

const base = { url: 'http://127.0.0.1:8000', chatkitPath: '/chatkit/api', env: { CHATKIT_MODEL_PROVIDER: 'scripted' } };

describe('dev banner', () => {
  it('names the playground URL when the plugin serves it', () => {
    const { lines } = buildBanner({ ...base, playgroundPath: '/' });
    expect(lines.some((line) => line.includes('playground') && line.includes('http://127.0.0.1:8000/'))).toBe(true);
  });

  it('says nothing about a playground the app does not serve', () => {
    expect(buildBanner(base).lines.join('\n')).not.toContain('playground');
  });
});

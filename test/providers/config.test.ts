/**
 * Configuration errors and descriptions: every missing piece is named with
 * the variable that fixes it, and no key value ever appears in a message.
 */
import { describe, expect, it } from 'vitest';
import {
  createModel,
  describeProvider,
  modelFromEnv,
  ProviderConfigError,
  OPENAI_DEFAULT_MODEL,
} from './support.js';

const SECRET = 'sk-proj-THIS-IS-SECRET-9f8e7d';

function errorOf(fn: () => unknown): ProviderConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderConfigError);
    return error as ProviderConfigError;
  }
  throw new Error('expected an error');
}

describe('missing configuration', () => {
  it('openai without a key names OPENAI_API_KEY and where to get one', () => {
    const error = errorOf(() => modelFromEnv({}));
    expect(error.variable).toBe('OPENAI_API_KEY');
    expect(error.message).toMatch(/^OPENAI_API_KEY is not set/);
    expect(error.message).toContain('https://platform.openai.com/api-keys');
    expect(error.message).toContain('CHATKIT_MODEL_PROVIDER=scripted');
  });

  it('gemini without a key names GEMINI_API_KEY (or GOOGLE_API_KEY) and AI Studio', () => {
    const error = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'gemini', CHATKIT_MODEL: 'gemini-2.5-flash' }));
    expect(error.variable).toBe('GEMINI_API_KEY');
    expect(error.message).toContain('GEMINI_API_KEY (or GOOGLE_API_KEY) is not set');
    expect(error.message).toContain('https://aistudio.google.com/apikey');
  });

  it('gemini without a model name names CHATKIT_MODEL with an example', () => {
    const error = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'gemini', GOOGLE_API_KEY: SECRET }));
    expect(error.variable).toBe('CHATKIT_MODEL');
    expect(error.message).toContain('CHATKIT_MODEL=gemini-2.5-flash');
    expect(error.message).not.toContain(SECRET);
  });

  it('openai-compatible without a base URL names CHATKIT_MODEL_BASE_URL with examples', () => {
    const error = errorOf(() => createModel({ provider: 'openai-compatible', model: 'llama3.2', apiKey: SECRET, env: {} }));
    expect(error.variable).toBe('CHATKIT_MODEL_BASE_URL');
    expect(error.message).toContain('http://localhost:11434/v1');
    expect(error.message).not.toContain(SECRET);
  });

  it('openai-compatible without a model names CHATKIT_MODEL', () => {
    const error = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'openai-compatible', CHATKIT_MODEL_BASE_URL: 'http://localhost:11434/v1' }));
    expect(error.variable).toBe('CHATKIT_MODEL');
  });

  it('an unknown provider lists the valid ones', () => {
    const error = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'anthropic', OPENAI_API_KEY: SECRET }));
    expect(error.variable).toBe('CHATKIT_MODEL_PROVIDER');
    expect(error.message).toContain('CHATKIT_MODEL_PROVIDER="anthropic"');
    expect(error.message).toContain('openai, gemini, openai-compatible, scripted');
  });

  it('a base URL that is not http(s) is rejected without printing its credentials', () => {
    const error = errorOf(() =>
      modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'openai', OPENAI_API_KEY: SECRET, OPENAI_BASE_URL: 'ftp://user:hunter2@example.com/v1?key=abc' }),
    );
    expect(error.variable).toBe('OPENAI_BASE_URL');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('key=abc');
    expect(error.message).not.toContain(SECRET);
  });

  it('a real provider with the scripted model name (only the provider switched in .env) names CHATKIT_MODEL and both ways out', () => {
    const error = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'openai', CHATKIT_MODEL: 'scripted', OPENAI_API_KEY: SECRET }));
    expect(error.variable).toBe('CHATKIT_MODEL');
    expect(error.message).toMatch(/^CHATKIT_MODEL is "scripted", the offline scripted model's name, but the provider is openai\./);
    expect(error.message).toContain(`or remove it to use ${OPENAI_DEFAULT_MODEL}`);
    expect(error.message).toContain('CHATKIT_MODEL_PROVIDER=scripted');
    expect(error.message).not.toContain(SECRET);
    const gemini = errorOf(() => modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'gemini', CHATKIT_MODEL: ' scripted ', GEMINI_API_KEY: SECRET }));
    expect(gemini.message).toContain('for example CHATKIT_MODEL=gemini-2.5-flash');
    expect(modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_MODEL: 'scripted' }).modelName).toBe('scripted');
  });

  it('a blank key counts as missing', () => {
    expect(errorOf(() => modelFromEnv({ OPENAI_API_KEY: '   ' })).variable).toBe('OPENAI_API_KEY');
  });
});

describe('descriptions', () => {
  it('modelFromEnv defaults to openai with the default model and honours CHATKIT_MODEL and OPENAI_BASE_URL', () => {
    const plain = modelFromEnv({ OPENAI_API_KEY: SECRET });
    expect(plain.provider).toBe('openai');
    expect(plain.modelName).toBe(OPENAI_DEFAULT_MODEL);
    expect(plain.description).toMatchObject({ api: 'responses', baseURL: 'https://api.openai.com/v1', keyPresent: true, keySource: 'OPENAI_API_KEY' });
    expect(plain.describe()).toBe('openai gpt-4.1-mini (Responses API, https://api.openai.com/v1, key from OPENAI_API_KEY)');

    const custom = modelFromEnv({ OPENAI_API_KEY: SECRET, CHATKIT_MODEL: 'gpt-5.4-mini', OPENAI_BASE_URL: 'https://proxy.example.com/v1' });
    expect(custom.modelName).toBe('gpt-5.4-mini');
    expect(custom.description.baseURL).toBe('https://proxy.example.com/v1');
    expect(JSON.stringify(custom.description)).not.toContain(SECRET);
  });

  it('gemini reads GOOGLE_API_KEY when GEMINI_API_KEY is absent', () => {
    const selected = modelFromEnv({ CHATKIT_MODEL_PROVIDER: 'gemini', CHATKIT_MODEL: 'gemini-2.5-pro', GOOGLE_API_KEY: SECRET });
    expect(selected.description).toMatchObject({
      api: 'chat_completions',
      baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
      keySource: 'GOOGLE_API_KEY',
    });
  });

  it('describeProvider never throws and lists the problems for doctor', () => {
    const broken = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'gemini' } });
    expect(broken).toMatchObject({ provider: 'gemini', keyPresent: false, keyRequired: true, keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'] });
    expect(broken.problems).toHaveLength(1);
    expect(broken.problems[0]).toMatch(/GEMINI_API_KEY/);

    const fine = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'openai-compatible', CHATKIT_MODEL: 'llama3.2', CHATKIT_MODEL_BASE_URL: 'http://u:p@localhost:11434/v1' } });
    expect(fine.problems).toEqual([]);
    expect(fine).toMatchObject({ keyPresent: false, keyRequired: false, baseURL: 'http://localhost:11434/v1' });

    const unknown = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'nope' } });
    expect(unknown.problems[0]).toMatch(/Unknown model provider/);

    const scripted = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'scripted' } });
    expect(scripted).toMatchObject({ provider: 'scripted', api: 'offline', script: 'echo', problems: [] });
  });

  it('describeProvider describes an incomplete configuration as far as it goes, without credentials', () => {
    const gemini = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'gemini', GEMINI_BASE_URL: 'https://u:p@gemini.test/v1beta/openai/?key=k' } });
    expect(gemini).toEqual({
      provider: 'gemini',
      api: 'chat_completions',
      model: '',
      baseURL: 'https://gemini.test/v1beta/openai/',
      keyVariables: ['GEMINI_API_KEY', 'GOOGLE_API_KEY'],
      keyRequired: true,
      keyPresent: false,
      keySource: undefined,
      problems: [expect.stringMatching(/GEMINI_API_KEY/)],
    });

    const compatible = describeProvider({ env: { CHATKIT_MODEL_PROVIDER: 'openai-compatible', CHATKIT_MODEL: ' llama3.2 ', CHATKIT_MODEL_BASE_URL: '', CHATKIT_MODEL_API_KEY: 'local' } });
    expect(compatible).toEqual({
      provider: 'openai-compatible',
      api: 'chat_completions',
      model: 'llama3.2',
      baseURL: undefined,
      keyVariables: ['CHATKIT_MODEL_API_KEY'],
      keyRequired: false,
      keyPresent: true,
      keySource: 'CHATKIT_MODEL_API_KEY',
      problems: [expect.stringMatching(/CHATKIT_MODEL_BASE_URL is not set/)],
    });
  });
});

describe('no key in any configuration message', () => {
  const keyed = { OPENAI_API_KEY: SECRET, GEMINI_API_KEY: SECRET, GOOGLE_API_KEY: SECRET, CHATKIT_MODEL_API_KEY: SECRET };
  const scenarios: Record<string, string | undefined>[] = [
    { CHATKIT_MODEL_PROVIDER: 'gemini' },
    { CHATKIT_MODEL_PROVIDER: 'openai-compatible' },
    { CHATKIT_MODEL_PROVIDER: 'openai-compatible', CHATKIT_MODEL: 'x' },
    { CHATKIT_MODEL_PROVIDER: 'nope' },
    { CHATKIT_MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: 'not a url' },
    { CHATKIT_MODEL_PROVIDER: 'scripted', CHATKIT_SCRIPT: '/definitely/missing.json' },
  ];
  for (const scenario of scenarios) {
    it(`${JSON.stringify(scenario)}: the error and the description leave the key out`, () => {
      const env = { ...keyed, ...scenario };
      const error = errorOf(() => modelFromEnv(env));
      expect(error.message).not.toContain(SECRET);
      const description = describeProvider({ env });
      expect(JSON.stringify(description)).not.toContain(SECRET);
      expect(description.problems).toHaveLength(1);
      expect(description.problems[0]).toBe(error.message);
    });
  }
});

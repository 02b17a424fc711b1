import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { nextStepsText, resolvedSettingsText } from '../../src/cli/create/messages.js';
import { settings } from './helpers.js';

const plain = new Chalk({ level: 0 });

describe('next steps', () => {
  it('says what .env needs before the server can start', () => {
    const text = nextStepsText(settings({ provider: 'openai', auth: 'jwt', store: 'postgres' }), false, plain);
    expect(text).toContain('npm install');
    expect(text).toContain('OPENAI_API_KEY=sk-...');
    expect(text).toContain('CHATKIT_JWT_SECRET=');
    expect(text).toContain('openssl rand -hex 32');
    expect(text).toContain('DATABASE_URL');
    expect(text).toContain('No key yet?');
  });

  it('asks for the model server instead of a key with openai-compatible', () => {
    const text = nextStepsText(settings({ provider: 'openai-compatible', baseUrl: 'http://localhost:11434/v1', model: 'llama3.2' }), true, plain);
    expect(text).toContain('start your model server at http://localhost:11434/v1');
    expect(text).not.toContain('No key yet?');
    expect(text).not.toContain('npm install');
  });

  it('links the domain allowlist when a frontend snippet was generated', () => {
    expect(nextStepsText(settings({ frontend: 'react' }), true, plain)).toContain(
      'https://platform.openai.com/settings/organization/security/domain-allowlist',
    );
    expect(nextStepsText(settings({ frontend: 'none' }), true, plain)).not.toContain('allowlist');
  });
});

describe('resolved settings', () => {
  it('says when the target directory is emptied first', () => {
    expect(resolvedSettingsText(settings({ emptyTargetFirst: true }), plain)).toContain('current contents are removed first; .git is kept');
    expect(resolvedSettingsText(settings({ emptyTargetFirst: false }), plain)).not.toContain('removed');
  });
});

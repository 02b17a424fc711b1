/**
 * Secrets never reach logs: a provider error that quotes the key it rejected
 * is logged with the key removed, through the message, stack and causes.
 */
import { expect, test } from 'vitest';
import { loggableError, redactSecrets } from '../../src/runtime/redact.js';
import { streamText, userInput } from '../support/chatkit.js';
import { ScriptedServer } from '../support/scripted-server.js';

// Built at run time so no key-shaped literal sits in the repository.
const fakeKey = ['sk', 'proj', 'A1b2C3d4E5f6G7h8I9j0K1l2'].join('-');
const fakeGoogle = 'AIza' + 'x'.repeat(35);

test('redactSecrets removes OpenAI and Google keys, bearer tokens and JWTs', () => {
  const text = `key ${fakeKey} google ${fakeGoogle} header Bearer abcdefgh12345678 jwt eyJhbGciOiJIUzI1.eyJzdWIiOiJ1MSJ9.c2lnbmF0dXJlMTIz; task-${'a'.repeat(20)}`;
  const redacted = redactSecrets(text);
  expect(redacted).not.toContain(fakeKey);
  expect(redacted).not.toContain(fakeGoogle);
  expect(redacted).not.toContain('abcdefgh12345678');
  expect(redacted).not.toContain('eyJzdWIiOiJ1MSJ9');
  expect(redacted).toContain('[REDACTED openai-key]');
  expect(redacted).toContain(`task-${'a'.repeat(20)}`); // not a key
});

test('a handler error quoting a key is logged without it, and the client gets the generic error', async () => {
  const server = new ScriptedServer();
  const logged: unknown[] = [];
  server.logger = { error: (obj) => logged.push(obj), warn() {} };
  server.respondWith = async function* () {
    throw new Error(`401 Incorrect API key provided: ${fakeKey}`, { cause: new Error(`header was Bearer ${fakeKey}`) });
  };
  const text = await streamText(server, { type: 'threads.create', params: { input: userInput('x') } }, {});
  expect(text).toContain('"code":"stream.error"');
  expect(text).not.toContain(fakeKey);
  const entry = JSON.stringify(logged);
  expect(entry).toContain('Incorrect API key provided');
  expect(entry).not.toContain(fakeKey);
  expect(entry).not.toContain(fakeKey.slice(8));
});

test('loggableError keeps status and code, and passes non-errors through', () => {
  const error = Object.assign(new Error('rate limited'), { status: 429, code: 'rate_limit_exceeded' });
  expect(loggableError(error)).toMatchObject({ type: 'Error', message: 'rate limited', status: 429, code: 'rate_limit_exceeded' });
  expect(loggableError({ plain: true })).toEqual({ plain: true });
});

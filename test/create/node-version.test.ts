import { expect, test } from 'vitest';
import { nodeVersionProblem, projectNodeNotice } from '../../src/cli/shared/node-version.js';

test('the scaffolder refuses Node older than 20.19 in one line; 20.19 and later pass', () => {
  expect(nodeVersionProblem('v20.18.3', 'create')).toBe(
    'error: create-chatkit-backend needs Node 20.19 or later, and this is Node v20.18.3. Install Node 22 or later (https://nodejs.org, or `nvm install 22`).',
  );
  expect(nodeVersionProblem('v18.20.0', 'create')).toMatch(/^error: .*20\.19/);
  expect(nodeVersionProblem('v20.19.0', 'create')).toBeUndefined();
  expect(nodeVersionProblem('v20.20.2', 'create')).toBeUndefined();
  expect(nodeVersionProblem('not a version', 'create')).toBeUndefined();
});

test('dev, doctor and replay run the project: they refuse Node older than 22.12, naming the command', () => {
  for (const command of ['dev', 'doctor', 'replay']) {
    expect(nodeVersionProblem('v20.20.2', command)).toBe(
      `error: create-chatkit-backend ${command} needs Node 22.12 or later, and this is Node v20.20.2. Install Node 22 or later (https://nodejs.org, or \`nvm install 22\`).`,
    );
    expect(nodeVersionProblem('v22.11.0', command)).toMatch(/needs Node 22\.12/);
    expect(nodeVersionProblem('v22.12.0', command)).toBeUndefined();
    expect(nodeVersionProblem('v24.1.0', command)).toBeUndefined();
  }
});

test('after scaffolding on Node 20 the user is told what the project needs', () => {
  expect(projectNodeNotice('v20.20.2')).toMatch(/^The project needs Node 22\.12 or later to run \(this is Node v20\.20\.2\)/);
  expect(projectNodeNotice('v22.12.0')).toBeUndefined();
});

import { expect, test } from 'vitest';
import { nodeVersionProblem } from '../../src/cli/shared/node-version.js';

test('Node older than 22.12 gets one actionable warning; 22.12 and later none', () => {
  expect(nodeVersionProblem('v20.20.2')).toMatch(/Node v20\.20\.2 is older than 22\.12.*Install Node 22 or later/);
  expect(nodeVersionProblem('v22.11.0')).toMatch(/older than 22\.12/);
  expect(nodeVersionProblem('v22.12.0')).toBeUndefined();
  expect(nodeVersionProblem('v24.1.0')).toBeUndefined();
  expect(nodeVersionProblem('not a version')).toBeUndefined();
});

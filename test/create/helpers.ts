/**
 * Shared helpers for the scaffolder's unit tests: scripted prompt answers
 * and default settings.
 */
import { resolve } from 'node:path';
import { PromptCancelled, type Prompter } from '../../src/cli/create/prompter.js';
import type { Settings } from '../../src/cli/create/settings.js';

/** Answers questions in order, by a substring of the question; records what was asked. */
export function scriptedPrompter(answers: [match: string, answer: string | boolean | 'CANCEL'][]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (message: string) => {
    asked.push(message);
    const index = answers.findIndex(([match]) => message.includes(match));
    if (index === -1) throw new Error(`unexpected question: ${message}`);
    const [[, answer]] = answers.splice(index, 1);
    if (answer === 'CANCEL') throw new PromptCancelled();
    return answer;
  };
  return {
    asked,
    select: async (question) => next(question.message) as never,
    text: async (question) => next(question.message) as string,
    confirm: async (question) => next(question.message) as boolean,
  };
}

export function settings(overrides: Partial<Settings> = {}): Settings {
  return {
    targetDir: resolve('/tmp/does-not-matter/my-app'),
    displayDir: 'my-app',
    packageName: 'my-app',
    template: 'tools',
    provider: 'openai',
    model: 'gpt-4.1-mini',
    baseUrl: undefined,
    store: 'sqlite',
    auth: 'none',
    attachments: 'local',
    frontend: 'react',
    port: 8000,
    packageManager: 'npm',
    install: false,
    git: false,
    emptyTargetFirst: false,
    runtimeSpec: '^0.1.0',
    dryRun: false,
    ...overrides,
  };
}

import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/create/flags.js';
import { ExitError } from '../../src/cli/shared/exit-error.js';

const parse = (argv: string[]) => parseCommandLine(argv, '1.2.3');

function usageError(argv: string[]): ExitError {
  try {
    parse(argv);
  } catch (error) {
    if (error instanceof ExitError) return error;
    throw error;
  }
  throw new Error(`expected ${argv.join(' ')} to fail`);
}

describe('scaffolder flags', () => {
  it('keeps options that were not given undefined, so defaults and prompts can fill them', () => {
    expect(parse(['my-app'])).toEqual({ kind: 'flags', flags: { directory: 'my-app' } });
  });

  it('parses every option', () => {
    const parsed = parse([
      'app', '--name', '@acme/chat-api', '--template', 'agent', '--provider', 'openai-compatible', '--model', 'llama3.2', '--base-url', 'http://localhost:11434/v1',
      '--store', 'postgres', '--auth', 'jwt', '--frontend', 'vanilla', '--port', '9000', '--package-manager', 'pnpm',
      '--no-install', '--no-git', '--overwrite', '-y', '--no-interactive', '--dry-run', '--runtime', 'file:../x.tgz',
    ]);
    expect(parsed).toEqual({
      kind: 'flags',
      flags: {
        directory: 'app', name: '@acme/chat-api', template: 'agent', provider: 'openai-compatible', model: 'llama3.2', baseUrl: 'http://localhost:11434/v1',
        store: 'postgres', auth: 'jwt', frontend: 'vanilla', port: 9000, packageManager: 'pnpm', install: false, git: false,
        overwrite: true, yes: true, interactive: false, dryRun: true, runtime: 'file:../x.tgz',
      },
    });
  });

  it('rejects a value outside the choices with exit code 2, listing the allowed ones', () => {
    const error = usageError(['--template', 'chat']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('basic, agent, tools, multi-agent');
  });

  it('rejects a bad port and a bad URL with a hint', () => {
    expect(usageError(['--port', '70000']).message).toMatch(/1 to 65535/);
    expect(usageError(['--base-url', 'localhost:11434']).message).toMatch(/http\(s\) URL/);
  });

  it('refuses an invalid --name, naming the npm rule it breaks', () => {
    const error = usageError(['app', '--name', 'My App']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('not a valid npm package name');
    expect(error.message).toContain('capital letters');
  });

  it('refuses an option that is missing its value instead of taking the next option as the value', () => {
    const error = usageError(['app', '--model', '--no-install']);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('--model needs a value');
    expect(error.message).toContain('--no-install');
    expect(usageError(['app', '-t']).message).toContain('--template needs a value');
  });

  it('suggests the nearest option for a typo', () => {
    expect(usageError(['--tempalte', 'x']).message).toContain('--template');
  });

  it('refuses two directories', () => {
    expect(usageError(['a', 'b']).exitCode).toBe(2);
  });

  it('prints help listing every option, the defaults and the other commands', () => {
    const parsed = parse(['--help']);
    expect(parsed.kind).toBe('printed');
    const text = parsed.kind === 'printed' ? parsed.text : '';
    for (const option of ['--template', '--provider', '--model', '--base-url', '--store', '--auth', '--frontend', '--port', '--package-manager', '--no-install', '--no-git', '--overwrite', '--yes', '--no-interactive', '--dry-run', '--runtime']) {
      expect(text).toContain(option);
    }
    expect(text).toContain('(default: tools)');
    expect(text).toContain('(default: ^1.2.3)');
    for (const command of ['dev', 'doctor', 'replay', 'token']) expect(text).toContain(`create-chatkit-backend ${command}`);
    // Every summary starts in the same column, at least two spaces after the longest usage.
    const commandLines = text.split('\n').filter((line) => line.startsWith('  create-chatkit-backend '));
    expect(commandLines).toHaveLength(4);
    const summaryColumns = commandLines.map((line) => line.search(/ {2}\S+[^\]>]*$/u));
    expect(new Set(summaryColumns).size).toBe(1);
    expect(text).toMatch(/token \[--sub <id>\] \[--ttl <duration>\] {2}print a development JWT/u);
  });

  it('prints the version', () => {
    expect(parse(['--version'])).toEqual({ kind: 'printed', text: '1.2.3\n' });
  });
});

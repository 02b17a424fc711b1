/**
 * Secrets: no key or token where a browser or a repository can read it
 * (frontend/ including its .env files, cassettes, built assets), and no
 * frontend code reaching for OPENAI_API_KEY. The patterns are the cassette
 * scanner's (the same ones `replay` refuses a cassette for), plus the values
 * of the project's own secret variables, so a key of an unusual shape that
 * was baked into a bundle is found too.
 */
import { configuredSecrets, scanForSecrets } from '../../cassette/secrets.js';
import { readFiles, lineOf, SOURCE_FILE } from '../files.js';
import type { Check } from '../types.js';

const TEXT_FILE = /\.((m|c)?(t|j)sx?|json|jsonl|html|css|map|txt|vue|svelte|astro|ya?ml)$|^\.env/;
/** Where keys must never be: readable by browsers or committed as fixtures. */
const PLACES = ['frontend', 'cassettes', 'dist', 'public', 'build'];

export const secretsCheck: Check = {
  id: 'secrets',
  title: 'No keys in frontend, cassettes or built assets',
  category: 'security',
  async run(ctx) {
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (no files to scan)' };
    const scanOptions = { literals: configuredSecrets(ctx.env.values) };
    const leaks: string[] = [];
    const references: string[] = [];
    let scanned = 0;
    for (const place of PLACES) {
      for (const file of readFiles(ctx.root, place, TEXT_FILE)) {
        scanned++;
        for (const finding of scanForSecrets(file.text, scanOptions)) {
          leaks.push(`${file.path}:${finding.line}: ${finding.description} [${finding.pattern}]`);
        }
        if (place === 'frontend' && SOURCE_FILE.test(file.path)) {
          for (const match of file.text.matchAll(/\b(?:VITE_|NEXT_PUBLIC_)?OPENAI_API_KEY\b/g)) {
            references.push(`${file.path}:${lineOf(file.text, match.index)}: references ${match[0]}`);
          }
        }
      }
    }
    const evidence = [...leaks, ...references];
    if (evidence.length === 0) {
      return { status: 'pass', message: `no keys or tokens in ${scanned} files under ${PLACES.map((p) => `${p}/`).join(', ')}`, evidence: [] };
    }
    return {
      status: 'fail',
      message: leaks.length > 0 ? `${leaks.length} key${leaks.length === 1 ? '' : 's'} or token${leaks.length === 1 ? '' : 's'} found where browsers or the repository can read ${leaks.length === 1 ? 'it' : 'them'}` : 'frontend code references OPENAI_API_KEY',
      evidence,
      fix: [
        ...(leaks.length > 0 ? ['Remove the key from these files and rotate it: treat it as leaked.'] : []),
        'Keep provider keys in the backend .env only; the frontend talks to your backend (api.url), which holds the key.',
      ],
      docs: 'https://platform.openai.com/docs/guides/safety-best-practices',
    };
  },
};

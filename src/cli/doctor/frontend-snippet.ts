/**
 * Reading the frontend snippet's ChatKit options statically: the `api`
 * object's keys and where its domain key comes from. Pattern matching, not a
 * parser: the generated snippets are small and regular, and a hand-edited
 * one that defeats this gets a warning, never a false failure.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDotenv } from '../project/env.js';
import type { ProjectFile } from './files.js';

export interface ApiConfig {
  file: string;
  keys: Set<string>;
  /** The domain key expression as written. */
  domainKeyExpr?: string;
  attachmentsEnabled: boolean;
}

/** The text of the balanced `{ … }` starting at `open`. */
function balanced(text: string, open: number): string | null {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  return null;
}

/** Top-level keys of an object literal's text (`{ url, domainKey: x, fetch(a) {…} }`). */
function topLevelKeys(objectText: string): Map<string, string> {
  const keys = new Map<string, string>();
  // Whole-line comments only: `//` inside a string (a URL) must survive.
  const body = objectText.slice(1, -1).replace(/^\s*\/\/.*$/gm, '');
  let depth = 0;
  let start = 0;
  const parts: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(body.slice(start));
  for (const part of parts) {
    const match = /^\s*(?:async\s+)?['"]?([A-Za-z_$][\w$]*)['"]?\s*(?::\s*([\s\S]*))?/.exec(part);
    if (match) keys.set(match[1]!, (match[2] ?? match[1]!).trim());
  }
  return keys;
}

export function findApiConfigs(files: ProjectFile[]): ApiConfig[] {
  const out: ApiConfig[] = [];
  for (const file of files) {
    const pattern = /\bapi\s*:\s*\{/g;
    let match: RegExpExecArray | null;
    while ((match = pattern.exec(file.text))) {
      const objectText = balanced(file.text, match.index + match[0].length - 1);
      if (!objectText) continue;
      const keys = topLevelKeys(objectText);
      if (!keys.has('url') && !keys.has('getClientSecret') && !keys.has('domainKey')) continue;
      out.push({
        file: file.path,
        keys: new Set(keys.keys()),
        domainKeyExpr: keys.get('domainKey'),
        attachmentsEnabled: /attachments\s*:\s*\{[^}]*enabled\s*:\s*true/.test(file.text),
      });
    }
  }
  return out;
}

export interface ResolvedDomainKey {
  value: string | null;
  /** Where the value came from, for the evidence. */
  source: string;
}

/**
 * Follows `domainKey: X` to a value: a literal, an env variable
 * (`import.meta.env.VITE_…`, `process.env.…`) looked up in the shell and the
 * frontend's `.env` files, a `?? 'fallback'`, or one `const X = …` hop.
 */
export function resolveDomainKey(expr: string, fileText: string, root: string, shell: Record<string, string | undefined>): ResolvedDomainKey {
  let expression = expr.trim();
  const identifier = /^[A-Za-z_$][\w$]*$/.exec(expression);
  if (identifier) {
    const declaration = new RegExp(`(?:const|let|var)\\s+${expression}\\s*(?::[^=]+)?=\\s*([^;\\n]+)`).exec(fileText);
    if (declaration) expression = declaration[1]!.trim();
  }
  const variable = /(?:import\.meta\.env|process\.env)\.([A-Za-z_][\w]*)/.exec(expression)?.[1];
  const fallback = /(?:\?\?|\|\|)\s*(['"`])([^'"`]*)\1/.exec(expression)?.[2];
  const literal = /^(['"`])([^'"`]*)\1$/.exec(expression)?.[2];
  if (literal !== undefined) return { value: literal, source: 'a literal in the snippet' };
  if (variable) {
    if (shell[variable]) return { value: shell[variable]!, source: `${variable} from the environment` };
    for (const name of ['.env.production.local', '.env.production', '.env.local', '.env']) {
      for (const dir of ['frontend', '.']) {
        const path = join(root, dir, name);
        if (!existsSync(path)) continue;
        const value = parseDotenv(readFileSync(path, 'utf8'))[variable];
        if (value) return { value, source: `${variable} from ${dir === '.' ? '' : `${dir}/`}${name}` };
      }
    }
    if (fallback !== undefined) return { value: fallback, source: `the snippet's fallback; ${variable} is not set` };
    return { value: null, source: `${variable} is not set in the shell, frontend/.env* or .env*` };
  }
  return { value: null, source: `an expression doctor cannot follow: ${expression.slice(0, 60)}` };
}

export const PLACEHOLDER_DOMAIN_KEYS = new Set(['domain_pk_localhost_dev', 'local-dev', 'domain_pk_local_dev', 'domain_pk_placeholder']);
export const DOMAIN_KEY_SHAPE = /^domain_pk_[A-Za-z0-9_-]+$/;

/** Headers the browser must not send without a preflight allowing them (everything but CORS-safelisted ones). */
const SAFELISTED = new Set(['accept', 'accept-language', 'content-language', 'content-type', 'range']);

/**
 * Request headers the frontend's custom `fetch` adds (`headers.set('X-Article-Id', …)`,
 * `headers: { 'x-tenant': … }`), so CORS can be tested with the headers the browser will really send.
 */
export function customRequestHeaders(files: ProjectFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of file.text.matchAll(/headers\.(?:set|append)\(\s*['"`]([A-Za-z0-9-]+)['"`]/g)) names.add(match[1]!.toLowerCase());
    for (const block of file.text.matchAll(/headers\s*:\s*\{([^{}]*)\}/g)) {
      for (const key of block[1]!.matchAll(/['"]?([A-Za-z][A-Za-z0-9-]*)['"]?\s*:/g)) names.add(key[1]!.toLowerCase());
    }
  }
  return [...names].filter((name) => !SAFELISTED.has(name)).sort();
}

/**
 * The domain key the frontend snippet will actually send, read the way
 * `doctor` reads it (the `domainKey:` expression, the variable it names in
 * the shell and the `.env` files, its `?? 'fallback'`), so the dev banner
 * warns about the same thing doctor does rather than about a variable the
 * snippet does not need.
 */
import { readFiles, SOURCE_FILE } from '../doctor/files.js';
import { findApiConfigs, resolveDomainKey } from '../doctor/frontend-snippet.js';

export interface FrontendDomainKey {
  /** `frontend/chatkit-options.ts` */
  file: string;
  /** The expression as written, e.g. `import.meta.env.VITE_CHATKIT_DOMAIN_KEY ?? 'domain_pk_localhost_dev'`. */
  expression: string;
  /** The value it resolves to, or null when it cannot be followed or is not set. */
  value: string | null;
  /** Where the value came from, for the message. */
  source: string;
}

/** Undefined when the project has no frontend snippet with a `domainKey`. */
export function readFrontendDomainKey(root: string, env: Record<string, string | undefined>): FrontendDomainKey | undefined {
  const files = readFiles(root, 'frontend', SOURCE_FILE);
  const config = findApiConfigs(files).find((candidate) => candidate.domainKeyExpr);
  if (!config?.domainKeyExpr) return undefined;
  const text = files.find((file) => file.path === config.file)!.text;
  const resolved = resolveDomainKey(config.domainKeyExpr, text, root, env);
  return { file: config.file, expression: config.domainKeyExpr, ...resolved };
}

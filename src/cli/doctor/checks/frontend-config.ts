/**
 * Frontend config: the snippet's `api` is exactly the custom-backend shape
 * (`url` + `domainKey`, `uploadStrategy` when attachments are on), and its
 * domain key will be accepted where the frontend runs. A placeholder key on
 * a real domain is the blank-UI failure users report most.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFrontendSources } from '../files.js';
import { DOMAIN_KEY_SHAPE, findApiConfigs, PLACEHOLDER_DOMAIN_KEYS, resolveDomainKey } from '../frontend-snippet.js';
import { isLocalOrigin, isPreviewHost, isTunnelHost } from '../hosts.js';
import type { Check, CheckOutcome } from '../types.js';

const ALLOWLIST = 'https://platform.openai.com/settings/organization/security/domain-allowlist';

export const frontendConfigCheck: Check = {
  id: 'frontend-config',
  title: 'Frontend config and domain allowlist',
  category: 'configuration',
  async run(ctx) {
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (no frontend/ to read)' };
    if (!existsSync(join(ctx.root, 'frontend'))) {
      // A project made with `--frontend none` has its frontend elsewhere: nothing here to fix.
      return { status: 'skip', message: 'no frontend/ directory in this project (its api options live in your frontend app)' };
    }
    const files = readFrontendSources(ctx.root);
    const configs = findApiConfigs(files);
    if (configs.length === 0) {
      return {
        status: 'warn',
        message: 'no ChatKit `api: { … }` options found under frontend/',
        evidence: [`${files.length} source files read`],
        fix: ['Pass api: { url, domainKey } to useChatKit() or <openai-chatkit>.setOptions().'],
        docs: 'https://openai.github.io/chatkit-js/guides/custom-backends',
      };
    }
    const evidence: string[] = [];
    const problems: CheckOutcome[] = [];
    for (const config of configs) {
      const keys = [...config.keys].join(', ');
      evidence.push(`${config.file}: api { ${keys} }`);
      if (config.keys.has('getClientSecret') && (config.keys.has('url') || config.keys.has('domainKey'))) {
        problems.push({ status: 'fail', message: `${config.file}: api mixes the hosted shape (getClientSecret) with the custom one (url/domainKey)`, fix: ['Use only { url, domainKey, fetch?, uploadStrategy? } for a custom backend; ChatKit rejects a mix with "InvalidFrameParamsError: Invalid input → at api".'] });
        continue;
      }
      if (config.keys.has('getClientSecret')) continue; // hosted mode: nothing of ours to check
      for (const required of ['url', 'domainKey']) {
        if (!config.keys.has(required)) problems.push({ status: 'fail', message: `${config.file}: api has no \`${required}\``, fix: [`Add ${required} to the api options; a custom backend needs both url and domainKey.`] });
      }
      if (config.attachmentsEnabled && !config.keys.has('uploadStrategy')) {
        problems.push({ status: 'fail', message: `${config.file}: attachments are enabled but api has no uploadStrategy`, fix: ["Add uploadStrategy: { type: 'direct', uploadUrl: '<backend>/chatkit/api/upload' } (required when attachments are enabled)."] });
      }
      if (!config.domainKeyExpr) continue;
      const fileText = files.find((f) => f.path === config.file)!.text;
      const key = resolveDomainKey(config.domainKeyExpr, fileText, ctx.root, ctx.env.values);
      if (key.value === null) {
        evidence.push(`domain key: ${key.source}`);
        problems.push({ status: 'warn', message: 'the domain key could not be resolved', fix: ['Set VITE_CHATKIT_DOMAIN_KEY (or your framework\'s public variable) to the key from the allowlist page.'] });
        continue;
      }
      const placeholder = PLACEHOLDER_DOMAIN_KEYS.has(key.value);
      evidence.push(`domain key: ${placeholder ? `placeholder ${key.value}` : key.value} (${key.source})`);
      if (!placeholder && !DOMAIN_KEY_SHAPE.test(key.value)) {
        problems.push({ status: 'warn', message: 'the domain key does not have the domain_pk_… shape', fix: [`Copy the key for your domain from ${ALLOWLIST}.`] });
      }
      const remote = ctx.origins.filter((origin) => !isLocalOrigin(origin));
      if (placeholder && remote.length > 0) {
        problems.push({
          status: 'fail',
          message: `placeholder domain key with a non-localhost origin (${remote.join(', ')}): ChatKit will show a blank UI there`,
          fix: [`Register ${remote.join(', ')} in the domain allowlist and set VITE_CHATKIT_DOMAIN_KEY to the domain_pk_… key it gives you.`],
        });
      }
    }
    for (const origin of ctx.origins) {
      let host: string;
      try {
        host = new URL(origin).hostname;
      } catch {
        problems.push({ status: 'warn', message: `origin ${JSON.stringify(origin)} is not a URL`, fix: ['Origins look like https://app.example.com (scheme and host, no path).'] });
        continue;
      }
      if (isPreviewHost(host)) problems.push({ status: 'warn', message: `${origin} looks like a per-deploy preview: the allowlist has no wildcards, so each preview host needs its own entry`, fix: ['Add a stable preview domain to the allowlist, or register each preview host.'] });
      if (isTunnelHost(host)) problems.push({ status: 'warn', message: `${origin} is a dev tunnel: Vite refuses unknown hosts`, fix: [`Add '${host.replace(/^[^.]+/, '')}' to server.allowedHosts in vite.config.ts, and register the tunnel host in the allowlist.`] });
    }
    if (ctx.origins.length > 0) evidence.push(`origins to register in the allowlist: ${ctx.origins.join(', ')}`);
    const worst = problems.find((p) => p.status === 'fail') ?? problems.find((p) => p.status === 'warn');
    if (!worst) {
      // The allowlist cannot be checked from here (it is verified inside ChatKit's iframe): name what to confirm.
      const shown = ctx.origins.slice(0, 3).join(', ') + (ctx.origins.length > 3 ? ` and ${ctx.origins.length - 3} more` : '');
      const confirm = ctx.origins.length > 0 ? `confirm ${shown} ${ctx.origins.length === 1 ? 'is' : 'are'} in the domain allowlist` : 'confirm each site\'s domain is in the domain allowlist';
      return { status: 'pass', message: `api options are the custom-backend shape; ${confirm}`, evidence, docs: ALLOWLIST };
    }
    return {
      status: worst.status,
      message: worst.message,
      evidence: [...evidence, ...problems.filter((p) => p !== worst).map((p) => `also (${p.status}): ${p.message}`)],
      fix: problems.flatMap((p) => p.fix ?? []),
      docs: ALLOWLIST,
    };
  },
};

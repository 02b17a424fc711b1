/** Which hosts count as "this machine" (an open endpoint there is not exposed). */

export function isLocalHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  if (/^127\.\d+\.\d+\.\d+$/.test(host)) return true;
  return host === '0.0.0.0';
}

export function isLocalOrigin(origin: string): boolean {
  try {
    return isLocalHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** Per-deploy preview hosts: the allowlist has no wildcards, so each needs its own entry (chatkit-js#155). */
export function isPreviewHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    /-git-[a-z0-9-]+\.vercel\.app$/.test(host) ||
    /^[a-z0-9-]+-[a-z0-9]{9}(-[a-z0-9-]+)?\.vercel\.app$/.test(host) ||
    /^deploy-preview-\d+--/.test(host) ||
    /^[0-9a-f]{8,}\.[a-z0-9-]+\.pages\.dev$/.test(host) ||
    /^pr-\d+[.-]/.test(host)
  );
}

/** Dev tunnels: Vite refuses their Host header unless listed in `server.allowedHosts`. */
export function isTunnelHost(hostname: string): boolean {
  return /\.(ngrok\.io|ngrok-free\.app|ngrok\.app|trycloudflare\.com|loca\.lt)$/.test(hostname.toLowerCase());
}

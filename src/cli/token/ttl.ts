/** `--ttl` for `token`: a whole number with s, m, h or d, within a year. Pure. */
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86400 } as const;
const MAX_SECONDS = 366 * 86400;

export type Ttl = { ok: true; seconds: number; jose: string } | { ok: false; message: string };

export function parseTtl(text: string): Ttl {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) return { ok: false, message: `--ttl ${JSON.stringify(text)} is not a duration; use a whole number with s, m, h or d, e.g. 30m or 12h` };
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
  if (seconds <= 0 || seconds > MAX_SECONDS) return { ok: false, message: `--ttl ${text} must be more than 0 and at most a year (366d)` };
  // jose reads `<n>s` as seconds from now.
  return { ok: true, seconds, jose: `${seconds}s` };
}

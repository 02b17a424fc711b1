/**
 * Values people leave in `.env` instead of a key: the README's `sk-...`,
 * `your-key-here`, `<your key>`, `changeme`. The provider answers them with a
 * 401 on the first message; `dev` and `doctor` say so before that. Pure.
 */
const PLACEHOLDER_KEY = /^(sk-(\.\.\.|…|x+|\*+|your[-_a-z]*)|x{3,}|\*{3,}|\.\.\.|…|your[-_ ].*|.*[-_ ]here|changeme|change[-_ ]me|replace[-_ ]?me|todo|fixme|none|null|<.*>|\[.*\]|\{.*\})$/i;

export function isPlaceholderKey(value: string): boolean {
  return PLACEHOLDER_KEY.test(value.trim());
}

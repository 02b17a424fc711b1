/**
 * Who the playground is, and the `fetch` that says so on every request, as a
 * frontend's `api.fetch` does: for JWT projects a development token the
 * backend signs for the chosen user id (`?user=` in the URL, so two tabs can
 * be two users side by side); for custom auth a header the developer pastes.
 */
import type { AuthedFetch } from './api';
import type { PlaygroundConfig } from '../../http/playground-config';
import type { Traffic } from './traffic';

export type { PlaygroundConfig };

const HEADER_KEY = 'chatkit-playground-authorization';

export class Session {
  readonly userId: string;
  private token: Promise<string> | undefined;

  constructor(
    readonly config: PlaygroundConfig,
    private readonly traffic: Traffic,
  ) {
    this.userId = new URL(location.href).searchParams.get('user')?.trim() || 'dev-user';
  }

  /** The custom Authorization header (custom-auth projects), kept for this browser tab only. */
  get customHeader(): string {
    return sessionStorage.getItem(HEADER_KEY) ?? '';
  }

  set customHeader(value: string) {
    sessionStorage.setItem(HEADER_KEY, value);
  }

  private async mintToken(): Promise<string> {
    const url = this.config.tokenUrl!;
    const entry = this.traffic.start('POST', url, 'playground token', { userId: this.userId });
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: this.userId }) });
    const body = (await response.json()) as { token?: string; error?: { message?: string } };
    // The token itself is a credential: the inspector shows that one was issued, not its value.
    this.traffic.finish(entry, { status: response.status, responseBody: body.token ? { token: '(hidden)', userId: this.userId } : body });
    if (!response.ok || !body.token) throw new Error(`Could not get a development token: ${body.error?.message ?? response.status}`);
    return body.token;
  }

  async authorization(): Promise<string | undefined> {
    if (this.config.auth === 'jwt' && this.config.tokenUrl) {
      this.token ??= this.mintToken().catch((error: unknown) => {
        this.token = undefined;
        throw error;
      });
      return `Bearer ${await this.token}`;
    }
    if (this.config.auth === 'custom' || this.config.auth === 'jwt') return this.customHeader || undefined;
    return undefined;
  }

  readonly fetch: AuthedFetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    const authorization = await this.authorization();
    if (authorization) headers.set('authorization', authorization);
    return fetch(input, { ...init, headers });
  };

  /** Where the other user of a side-by-side pair lives. */
  otherUserUrl(): string {
    const url = new URL(location.href);
    url.searchParams.set('user', this.userId === 'dev-user' ? 'dev-user-2' : 'dev-user');
    url.hash = '';
    return url.href;
  }
}

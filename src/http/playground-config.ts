/**
 * What `GET {path}playground-config.json` answers: the playground page's only
 * source of settings, never a secret. Shared by the server (src/http/playground.ts)
 * and the browser app (src/playground/), so it imports nothing.
 */
export interface PlaygroundConfig {
  apiUrl: string;
  /** The direct-upload route, when the server has one (ChatKit's `direct` strategy). */
  uploadUrl: string | null;
  /** The server has an attachment store: `attachments.create` answers where to send the bytes (ChatKit's `two_phase` strategy). */
  twoPhaseUploads: boolean;
  /** `jwt`: ask `tokenUrl` for a token; `custom`: the developer pastes an Authorization header; `none`. */
  auth: 'none' | 'jwt' | 'custom';
  tokenUrl: string | null;
  /** The frontend's public domain key (VITE_CHATKIT_DOMAIN_KEY), for the view that loads the real ChatKit. */
  domainKey: string | null;
}

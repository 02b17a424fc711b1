// The variables Vite exposes to the browser (anything prefixed VITE_).
// Only public values belong here: never a model key or a JWT secret.
interface ImportMetaEnv {
  readonly VITE_CHATKIT_API_URL?: string;
  readonly VITE_CHATKIT_DOMAIN_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}

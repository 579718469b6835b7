/**
 * Secrets (tokens, passwords in database URLs) never reach logs, errors,
 * cassettes or output. Known secret values are registered once (by the CLI
 * from the environment, by ApiClient for its token) and every string that
 * leaves the process goes through `redact()`.
 */

const REDACTED = '***';
const secrets = new Set<string>();

/** Environment keys whose values are secrets. */
export const SECRET_KEY_PATTERN = /(TOKEN|PASSWORD|PASSWD|SECRET|API_KEY|PRIVATE_KEY|CREDENTIAL|AUTH)/i;

/** Registers a value (and its URL-encoded form) to be masked everywhere. Short values are ignored. */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < 4) return;
  secrets.add(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) secrets.add(encoded);
}

/** Registers the secret-looking entries of an environment map, and the password of any URL in it. */
export function registerSecretsFromEnv(env: Record<string, string | undefined>): void {
  for (const [key, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_KEY_PATTERN.test(key)) registerSecret(value);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) registerUrlPassword(value);
  }
}

/** Registers the password part of a URL such as `postgres://user:pw@host/db`. */
export function registerUrlPassword(url: string): void {
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      registerSecret(parsed.password);
      registerSecret(decodeURIComponent(parsed.password));
    }
  } catch {
    // Not a URL: nothing to register.
  }
}

/** Query parameter names that carry credentials: masked by `redact()`, dropped from cassettes. */
export const SECRET_QUERY_PARAMS = ['access_token', 'token', 'private_token', 'api_key', 'apikey', 'key', 'password', 'client_secret', 'sig', 'signature'] as const;
const SECRET_QUERY_VALUE = new RegExp(`([?&](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&\\s"']+`, 'gi');

/** True when a query parameter name carries a credential. */
export function isSecretQueryParam(name: string): boolean {
  return (SECRET_QUERY_PARAMS as readonly string[]).includes(name.toLowerCase());
}

/** `postgres://user:pw@host/db` → `postgres://user:***@host/db`. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@\s]+:)([^@\s]*)@/g, `$1${REDACTED}@`);
}

/** Masks every registered secret, URL passwords and bearer/token forms in `text`. */
export function redact(text: string): string {
  let out = redactUrl(text);
  // Longest first, so a secret containing another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out
    .replace(/(\bBearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`)
    .replace(SECRET_QUERY_VALUE, `$1${REDACTED}`);
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
}

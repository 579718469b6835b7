import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Config } from '../core/config';
import { DevlakeError } from '../core/errors';
import { registerSecret } from '../core/redact';

/** The environment variable holding the key connection secrets are encrypted with. */
export const ENCRYPTION_SECRET_VAR = 'DEVLAKE_ENCRYPTION_SECRET';
/** Earlier keys (comma-separated), still accepted for decryption until `devlake secrets rotate` re-encrypts. */
export const PREVIOUS_SECRETS_VAR = 'DEVLAKE_ENCRYPTION_SECRET_PREVIOUS';

const NONCE_BYTES = 12; // 96-bit nonce, GCM's recommended size
const TAG_BYTES = 16; // 128-bit authentication tag
const MIN_SECRET_LENGTH = 16;
const FORMAT = 'v1';

/** A sealed value as stored: the key id beside `v1.<nonce>.<ciphertext+tag>` (base64url). */
export interface SealedValue {
  keyId: string;
  ciphertext: string;
}

interface Key {
  id: string;
  bytes: Buffer;
}

/**
 * AES-256-GCM with a random 96-bit nonce per value. The 256-bit key is derived
 * with HKDF-SHA256 from `DEVLAKE_ENCRYPTION_SECRET`; its id (a hash of the
 * derived key, never the key) is stored beside each value so older keys can
 * be told apart and rotated out. `aad` binds a value to where it is stored
 * (e.g. the plugin of a connection): a ciphertext copied elsewhere fails.
 */
export class SecretBox {
  readonly #current: Key;
  readonly #byId: Map<string, Key>;

  constructor(secret: string, previous: readonly string[] = []) {
    this.#current = deriveKey(secret);
    this.#byId = new Map([this.#current, ...previous.map(deriveKey)].map((k) => [k.id, k]));
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** Encrypts `plaintext` with the current key and a fresh nonce. */
  seal(plaintext: string, aad: string): SealedValue {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { keyId: this.#current.id, ciphertext: `${FORMAT}.${nonce.toString('base64url')}.${body.toString('base64url')}` };
  }

  /** Decrypts a sealed value; a wrong key, a wrong `aad` or any altered byte fails with DEVLAKE_E_SECRET_DECRYPT. */
  open(sealed: SealedValue, aad: string): string {
    const key = this.#byId.get(sealed.keyId);
    if (!key) {
      throw new DevlakeError('DEVLAKE_E_SECRET_DECRYPT', `A saved secret was encrypted with key ${sealed.keyId}, which is not configured`, {
        hint: `Put the secret it was written with in ${PREVIOUS_SECRETS_VAR} and run \`devlake secrets rotate\`, or save the connection's secret again.`,
        data: { keyId: sealed.keyId },
      });
    }
    const [format, nonceText, bodyText] = sealed.ciphertext.split('.');
    const nonce = Buffer.from(nonceText ?? '', 'base64url');
    const body = Buffer.from(bodyText ?? '', 'base64url');
    if (format !== FORMAT || nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw altered(sealed.keyId);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      const text = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      return text;
    } catch (err) {
      throw altered(sealed.keyId, err);
    }
  }

  /** True when `sealed` is not under the current key (rotation re-seals it). */
  isStale(sealed: SealedValue): boolean {
    return sealed.keyId !== this.#current.id;
  }
}

function altered(keyId: string, cause?: unknown): DevlakeError {
  return new DevlakeError('DEVLAKE_E_SECRET_DECRYPT', 'A saved secret failed authentication: it was altered or belongs to another record', {
    hint: "Save the connection's secret again.",
    cause,
    data: { keyId },
  });
}

function deriveKey(secret: string): Key {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new DevlakeError('DEVLAKE_E_SECRET_KEY_INVALID', `${ENCRYPTION_SECRET_VAR} must be at least ${MIN_SECRET_LENGTH} characters`, {
      hint: `Generate one with: openssl rand -hex 32`,
    });
  }
  registerSecret(secret);
  const bytes = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.from('devlake-ts'), Buffer.from('connection secrets v1'), 32));
  // The id identifies the key without revealing it: a hash of the derived key, truncated.
  const id = createHash('sha256').update('devlake-ts key id').update(bytes).digest('hex').slice(0, 12);
  return { id, bytes };
}

/** The SecretBox of a configuration, or a clear error naming the variable when no key is set. */
export function secretBoxFromConfig(config: Config): SecretBox {
  const secret = config.get(ENCRYPTION_SECRET_VAR);
  if (!secret) {
    throw new DevlakeError('DEVLAKE_E_SECRET_KEY_MISSING', `${ENCRYPTION_SECRET_VAR} is not set: saved connection secrets cannot be encrypted or read`, {
      hint: `Set ${ENCRYPTION_SECRET_VAR} in the environment or .env (e.g. \`openssl rand -hex 32\`).`,
    });
  }
  const previous = (config.get(PREVIOUS_SECRETS_VAR) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return new SecretBox(secret, previous);
}

/** A new random secret for `DEVLAKE_ENCRYPTION_SECRET` (256 bits, hex). */
export function generateEncryptionSecret(): string {
  return randomBytes(32).toString('hex');
}

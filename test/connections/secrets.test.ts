import { mapConfig } from '../../src/core/config';
import { hasErrorCode } from '../../src/core/errors';
import { redact } from '../../src/core/redact';
import { SecretBox, secretBoxFromConfig } from '../../src/connections/secrets';

const KEY_A = 'key-a-0123456789abcdef';
const KEY_B = 'key-b-fedcba9876543210';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('SecretBox (AES-256-GCM)', () => {
  it('round-trips a value; each seal has its own 96-bit nonce; the key id is stored beside it', () => {
    const box = new SecretBox(KEY_A);
    const a = box.seal('hunter2-token', 'icla');
    const b = box.seal('hunter2-token', 'icla');
    expect(a.ciphertext).not.toBe(b.ciphertext);
    const [format, nonce, body] = a.ciphertext.split('.');
    expect(format).toBe('v1');
    expect(Buffer.from(nonce, 'base64url')).toHaveLength(12);
    expect(Buffer.from(body, 'base64url').length).toBe('hunter2-token'.length + 16); // ciphertext + 128-bit tag
    expect(a.keyId).toMatch(/^[0-9a-f]{12}$/);
    expect(a.ciphertext).not.toContain('hunter2');
    expect(box.open(a, 'icla')).toBe('hunter2-token');
  });

  it('fails DEVLAKE_E_SECRET_DECRYPT on an altered byte, another record (aad) or an unknown key', () => {
    const box = new SecretBox(KEY_A);
    const sealed = box.seal('value-1234', 'icla');
    const bytes = Buffer.from(sealed.ciphertext.split('.')[2], 'base64url');
    bytes[0] ^= 1;
    const altered = { ...sealed, ciphertext: `v1.${sealed.ciphertext.split('.')[1]}.${bytes.toString('base64url')}` };
    expect(hasErrorCode(thrown(() => box.open(altered, 'icla')), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
    expect(hasErrorCode(thrown(() => box.open(sealed, 'github')), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
    expect(hasErrorCode(thrown(() => new SecretBox(KEY_B).open(sealed, 'icla')), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
    expect(hasErrorCode(thrown(() => box.open({ ...sealed, ciphertext: 'garbage' }, 'icla')), 'DEVLAKE_E_SECRET_DECRYPT')).toBe(true);
  });

  it('opens values of a previous key and marks them stale for rotation', () => {
    const old = new SecretBox(KEY_A).seal('value-1234', 'icla');
    const box = new SecretBox(KEY_B, [KEY_A]);
    expect(box.isStale(old)).toBe(true);
    expect(box.open(old, 'icla')).toBe('value-1234');
    expect(box.isStale(box.seal('x', 'icla'))).toBe(false);
  });

  it('reads the key from DEVLAKE_ENCRYPTION_SECRET (and _PREVIOUS), refuses a missing or short one, and redacts it', () => {
    expect(hasErrorCode(thrown(() => secretBoxFromConfig(mapConfig({}))), 'DEVLAKE_E_SECRET_KEY_MISSING')).toBe(true);
    expect(hasErrorCode(thrown(() => secretBoxFromConfig(mapConfig({ DEVLAKE_ENCRYPTION_SECRET: 'short' }))), 'DEVLAKE_E_SECRET_KEY_INVALID')).toBe(true);
    const box = secretBoxFromConfig(mapConfig({ DEVLAKE_ENCRYPTION_SECRET: KEY_B, DEVLAKE_ENCRYPTION_SECRET_PREVIOUS: `${KEY_A}, ` }));
    expect(box.open(new SecretBox(KEY_A).seal('v-1234', 'p'), 'p')).toBe('v-1234');
    expect(redact(`key is ${KEY_B}`)).toBe('key is ***');
  });
});

// Encryption at rest for secrets Steward must be able to show again (licence keys): AES-256-GCM with a
// key derived by HKDF from STEWARD_SECRET and a purpose label, a fresh 96-bit nonce per value. The
// stored text is `v1.<nonce>.<ciphertext+tag>` in base64url, so a changed format can be told apart.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

function keyFor(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'steward-at-rest', purpose, 32));
}

export function encryptSecret(secret: string, purpose: string, plain: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), nonce);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

export function decryptSecret(secret: string, purpose: string, stored: string): string {
  const [v, n, b] = stored.split('.');
  if (v !== 'v1' || !n || !b) throw new Error('Unknown secret format');
  const body = Buffer.from(b, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), Buffer.from(n, 'base64url'));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
    'utf8',
  );
}

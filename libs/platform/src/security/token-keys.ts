import { Inject, Injectable } from '@nestjs/common';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { AppConfig } from '../config/app-config.js';
import { persistedSecret } from '../data/state-dir.js';

export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  // RFC 7638: members in lexicographic order, no whitespace.
  return createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
}

function isPrivateKey(pem: string): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}

/**
 * RS256 key material. Pods that only verify need just the public key; the auth pod also signs. The
 * embedded default generates a key pair once and keeps it in STATE_DIR so tokens survive restarts.
 */
@Injectable()
export class TokenKeys {
  readonly currentKid: string;
  private readonly privateKey: KeyObject | undefined;
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(@Inject(AppConfig) config: AppConfig) {
    const privatePem =
      config.optionalString('JWT_PRIVATE_KEY') ??
      (config.optionalString('JWT_PUBLIC_KEY')
        ? undefined
        : persistedSecret(config, {
            file: 'jwt-signing-key.pem',
            generate: () =>
              generateKeyPairSync('rsa', { modulusLength: 2048 })
                .privateKey.export({ type: 'pkcs8', format: 'pem' })
                .toString(),
            problemWith: (pem) => (isPrivateKey(pem) ? undefined : 'it is not a PEM private key'),
            replacementCost: 'every user is logged out',
          }));
    this.privateKey = privatePem ? createPrivateKey(privatePem) : undefined;
    const publicKey = this.privateKey
      ? createPublicKey(this.privateKey)
      : createPublicKey(config.string('JWT_PUBLIC_KEY'));
    this.currentKid = config.optionalString('JWT_KEY_ID') ?? thumbprint(publicKey);
    this.publicKeys.set(this.currentKid, publicKey);
    const previous = config.optionalString('JWT_PREVIOUS_PUBLIC_KEY');
    if (previous) {
      const previousKey = createPublicKey(previous);
      this.publicKeys.set(
        config.optionalString('JWT_PREVIOUS_KEY_ID') ?? thumbprint(previousKey),
        previousKey,
      );
    }
  }

  signingKey(): { kid: string; pem: string } {
    if (!this.privateKey) throw new Error('this pod has no JWT signing key (JWT_PRIVATE_KEY)');
    return { kid: this.currentKid, pem: this.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }

  /** The parsed verification key for `kid`: parsed once at boot, never per request. */
  publicKey(kid: string): KeyObject | undefined {
    return this.publicKeys.get(kid);
  }

  publicKeyPem(kid: string): string | undefined {
    return this.publicKeys.get(kid)?.export({ type: 'spki', format: 'pem' }).toString();
  }

  jwks(): { keys: PublicJwk[] } {
    return {
      keys: [...this.publicKeys].map(([kid, key]) => ({
        ...key.export({ format: 'jwk' }),
        kid,
        alg: 'RS256',
        use: 'sig',
      })),
    };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KEY_VALUE_STORE, type KeyValueStore } from '#platform';
import { OAuthLoginFailed } from './oauth-login-failed.js';
import type { OAuthProviderName, ProviderProfile } from './oauth-providers.js';
import { verifierMatches } from './pkce.js';

const CODE_TTL_SECONDS = 60;
const codeKey = (code: string): string => `auth:stand-in-code:${code}`;

export const DEFAULT_STAND_IN_NICKNAME = '개발자';

interface IssuedCode {
  provider: OAuthProviderName;
  nickname: string;
  codeChallenge: string | null;
}

/** The profile a dev login gets; the `dev:` prefix never occurs in a real provider's user id. */
export function standInProfile(nickname: string): ProviderProfile {
  return {
    providerUserId: `dev:${nickname}`,
    email: null,
    nickname,
    name: nickname,
    profileImageUrl: null,
    phoneNumber: null,
  };
}

/**
 * The embedded default's replacement for a provider without credentials (never in production): it
 * consents at once and hands the callback a single-use code bound to the PKCE challenge, so the login
 * runs through exactly the same callback and state checks as a real provider.
 */
@Injectable()
export class StandInOAuthProvider {
  constructor(@Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore) {}

  async issueCode(
    provider: OAuthProviderName,
    nickname: string,
    codeChallenge: string | null,
  ): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    const issued: IssuedCode = { provider, nickname, codeChallenge };
    await this.kv.set(codeKey(code), JSON.stringify(issued), { ttlSeconds: CODE_TTL_SECONDS });
    return code;
  }

  async redeem(
    provider: OAuthProviderName,
    code: string,
    codeVerifier: string | null,
  ): Promise<ProviderProfile> {
    const stored = await this.kv.take(codeKey(code));
    if (!stored) throw OAuthLoginFailed.refused('unknown or used code');
    const issued = JSON.parse(stored) as IssuedCode;
    if (issued.provider !== provider) throw OAuthLoginFailed.refused('code issued for another provider');
    if (issued.codeChallenge && !(codeVerifier && verifierMatches(codeVerifier, issued.codeChallenge))) {
      throw OAuthLoginFailed.refused('PKCE verifier does not match');
    }
    return standInProfile(issued.nickname);
  }
}

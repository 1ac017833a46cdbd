import { normalizeKoreanPhoneNumber } from './korean-phone-number.js';

export const OAUTH_PROVIDERS = ['kakao', 'google', 'naver'] as const;
export type OAuthProviderName = (typeof OAUTH_PROVIDERS)[number];

export function isOAuthProvider(name: string): name is OAuthProviderName {
  return (OAUTH_PROVIDERS as readonly string[]).includes(name);
}

/** What we keep from a provider's user info, whatever its format. */
export interface ProviderProfile {
  providerUserId: string;
  email: string | null;
  nickname: string | null;
  name: string | null;
  profileImageUrl: string | null;
  phoneNumber: string | null;
}

export interface OAuthProviderSpec {
  name: OAuthProviderName;
  envPrefix: string;
  /** Naver does not support PKCE; it binds the code to `state` instead. */
  usesPkce: boolean;
  authorizeParams: Record<string, string>;
  /** Maps the user-info JSON to a profile; null when the provider's answer has no user id. */
  parseProfile(body: unknown): ProviderProfile | null;
}

type Json = Record<string, unknown>;
const objectAt = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
const id = (value: unknown): string | null => (typeof value === 'number' ? String(value) : text(value));
const phone = (value: unknown): string | null => {
  const raw = text(value);
  return raw ? normalizeKoreanPhoneNumber(raw) : null;
};

export const OAUTH_PROVIDER_SPECS: Record<OAuthProviderName, OAuthProviderSpec> = {
  kakao: {
    name: 'kakao',
    envPrefix: 'KAKAO',
    usesPkce: true,
    // Consent items are configured in the Kakao console, so no scope is sent.
    authorizeParams: {},
    parseProfile(body) {
      const root = objectAt(body);
      const account = objectAt(root.kakao_account);
      const profile = objectAt(account.profile);
      const providerUserId = id(root.id);
      if (!providerUserId) return null;
      return {
        providerUserId,
        email: text(account.email),
        nickname: text(profile.nickname),
        name: text(account.name),
        profileImageUrl: text(profile.profile_image_url),
        phoneNumber: phone(account.phone_number),
      };
    },
  },
  google: {
    name: 'google',
    envPrefix: 'GOOGLE',
    usesPkce: true,
    authorizeParams: { scope: 'openid email profile', include_granted_scopes: 'true', prompt: 'consent' },
    parseProfile(body) {
      const root = objectAt(body);
      const providerUserId = id(root.sub);
      if (!providerUserId) return null;
      return {
        providerUserId,
        email: text(root.email),
        nickname: text(root.given_name),
        name: text(root.name),
        profileImageUrl: text(root.picture),
        phoneNumber: null,
      };
    },
  },
  naver: {
    name: 'naver',
    envPrefix: 'NAVER',
    usesPkce: false,
    authorizeParams: {},
    parseProfile(body) {
      // Naver wraps the profile in `response` and reports failures in `resultcode` with HTTP 200.
      const root = objectAt(body);
      if (root.resultcode !== undefined && root.resultcode !== '00') return null;
      const profile = objectAt(root.response);
      const providerUserId = id(profile.id);
      if (!providerUserId) return null;
      return {
        providerUserId,
        email: text(profile.email),
        nickname: text(profile.nickname),
        name: text(profile.name),
        profileImageUrl: text(profile.profile_image),
        phoneNumber: phone(profile.mobile_e164) ?? phone(profile.mobile),
      };
    },
  },
};

import type { EnvVarSpec } from '#platform';

/** One provider's credentials and endpoints; the defaults are the real provider URLs. */
function providerEnv(
  prefix: string,
  label: string,
  urls: { authorize: string; token: string; userinfo: string },
): EnvVarSpec[] {
  return [
    {
      name: `${prefix}_CLIENT_ID`,
      kind: 'string',
      description: `${label} OAuth client id; unset outside production uses the built-in stand-in provider`,
    },
    {
      name: `${prefix}_CLIENT_SECRET`,
      kind: 'string',
      secret: true,
      description: `${label} OAuth client secret`,
    },
    {
      name: `${prefix}_AUTHORIZE_URL`,
      kind: 'url',
      default: urls.authorize,
      description: `${label} authorize endpoint`,
    },
    { name: `${prefix}_TOKEN_URL`, kind: 'url', default: urls.token, description: `${label} token endpoint` },
    {
      name: `${prefix}_USERINFO_URL`,
      kind: 'url',
      default: urls.userinfo,
      description: `${label} user-info endpoint`,
    },
  ];
}

export const AUTH_ENV: readonly EnvVarSpec[] = [
  ...providerEnv('KAKAO', 'Kakao', {
    authorize: 'https://kauth.kakao.com/oauth/authorize',
    token: 'https://kauth.kakao.com/oauth/token',
    userinfo: 'https://kapi.kakao.com/v2/user/me',
  }),
  ...providerEnv('GOOGLE', 'Google', {
    authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
    token: 'https://oauth2.googleapis.com/token',
    userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
  }),
  ...providerEnv('NAVER', 'Naver', {
    authorize: 'https://nid.naver.com/oauth2.0/authorize',
    token: 'https://nid.naver.com/oauth2.0/token',
    userinfo: 'https://openapi.naver.com/v1/nid/me',
  }),
  {
    name: 'OAUTH_HTTP_TIMEOUT_MS',
    kind: 'int',
    default: '10000',
    min: 100,
    description: 'timeout of each outbound call to an OAuth provider (token exchange, user info)',
  },
  {
    name: 'OAUTH_STATE_TTL_SECONDS',
    kind: 'int',
    default: '600',
    min: 10,
    description: 'lifetime of a pending OAuth login (state, PKCE verifier, redirect URI, origin)',
  },
  {
    name: 'OAUTH_FRONTEND_ORIGINS',
    kind: 'list',
    description:
      'app origins a login may return to (exact); unset = the CORS rule (CORS_ORIGINS, localhost outside production)',
  },
  {
    name: 'OAUTH_REDIRECT_URIS',
    kind: 'list',
    description:
      'allowed OAuth redirect URIs (exact); unset = /api/v1/auth/{provider}/callback on the public base URL or an allowed origin',
  },
  {
    name: 'OAUTH_DEFAULT_FRONTEND_ORIGIN',
    kind: 'url',
    description:
      'where a failed login is sent when its state is unknown (replayed, expired); default the first allowed origin',
  },
  {
    name: 'AUTH_RATE_LIMIT_WINDOW_SECONDS',
    kind: 'int',
    default: '60',
    min: 1,
    description: 'window of the auth rate limits',
  },
  {
    name: 'AUTH_RATE_LIMIT_PER_IP',
    kind: 'int',
    default: '120',
    min: 1,
    description: 'auth requests one client IP may make per window',
  },
  {
    name: 'AUTH_RATE_LIMIT_PER_ACCOUNT',
    kind: 'int',
    default: '30',
    min: 1,
    description: 'logins and refreshes one account may make per window',
  },
];

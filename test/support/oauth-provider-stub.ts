import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local OAuth provider speaking Kakao's, Google's and Naver's dialects, for login tests through the
 * real client code: `/{provider}/authorize` consents at once as the profile chosen with `signInAs` and
 * redirects with a code; `/{provider}/token` checks client credentials, redirect URI, single use and the
 * PKCE verifier (kakao, google) or the state (naver); `/{provider}/userinfo` answers in the provider's
 * own format (Kakao's `kakao_account`, Google's OpenID claims, Naver's `response` wrapper).
 */
export type StubProvider = 'kakao' | 'google' | 'naver';

export interface StubProfile {
  id: string;
  email?: string;
  nickname?: string;
  name?: string;
  picture?: string;
  /** As the provider sends it, e.g. "+82 10-1234-5678". */
  phone?: string;
}

export type StubFailure = { status: number; body?: unknown } | 'hang';

export interface OAuthProviderStub {
  url: string;
  /** KAKAO_CLIENT_ID, KAKAO_TOKEN_URL, … for the given providers (all three by default). */
  env(providers?: StubProvider[]): NodeJS.ProcessEnv;
  /** The profile the next authorization of `provider` consents as. */
  signInAs(provider: StubProvider, profile: StubProfile): void;
  /** Makes the next call to one endpoint fail (or never answer). */
  failNext(provider: StubProvider, endpoint: 'token' | 'userinfo', failure: StubFailure): void;
  /** Token requests refused so far, with the reason (e.g. "PKCE verifier mismatch"). */
  refusals: string[];
  close(): Promise<void>;
}

interface IssuedCode {
  provider: StubProvider;
  redirectUri: string;
  state: string;
  codeChallenge: string | null;
  profile: StubProfile;
}

const PROVIDERS: StubProvider[] = ['kakao', 'google', 'naver'];
const clientId = (provider: StubProvider): string => `${provider}-client`;
const clientSecret = (provider: StubProvider): string => `${provider}-secret`;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=utf-8' });
  response.end(JSON.stringify(body));
}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function userInfo(provider: StubProvider, profile: StubProfile): unknown {
  switch (provider) {
    case 'kakao':
      return {
        id: Number(profile.id),
        connected_at: '2025-01-01T00:00:00Z',
        kakao_account: {
          profile: { nickname: profile.nickname, profile_image_url: profile.picture },
          email: profile.email,
          name: profile.name,
          phone_number: profile.phone,
        },
      };
    case 'google':
      return {
        sub: profile.id,
        email: profile.email,
        email_verified: true,
        name: profile.name,
        given_name: profile.nickname,
        picture: profile.picture,
      };
    case 'naver':
      return {
        resultcode: '00',
        message: 'success',
        response: {
          id: profile.id,
          email: profile.email,
          nickname: profile.nickname,
          name: profile.name,
          profile_image: profile.picture,
          mobile: profile.phone,
        },
      };
  }
}

export async function startOAuthProviderStub(): Promise<OAuthProviderStub> {
  const nextProfile = new Map<StubProvider, StubProfile>();
  const failures = new Map<string, StubFailure>();
  const codes = new Map<string, IssuedCode>();
  const accessTokens = new Map<string, { provider: StubProvider; profile: StubProfile }>();
  const refusals: string[] = [];

  const refuse = (response: ServerResponse, provider: StubProvider, reason: string): void => {
    refusals.push(reason);
    // Naver reports token errors with HTTP 200, the others with 400.
    json(response, provider === 'naver' ? 200 : 400, { error: 'invalid_grant', error_description: reason });
  };

  const authorize = (provider: StubProvider, query: URLSearchParams, response: ServerResponse): void => {
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (
      query.get('client_id') !== clientId(provider) ||
      query.get('response_type') !== 'code' ||
      !redirectUri
    ) {
      return json(response, 400, { error: 'invalid_request' });
    }
    if (provider !== 'naver' && (!challenge || query.get('code_challenge_method') !== 'S256')) {
      return json(response, 400, { error: 'invalid_request', error_description: 'PKCE S256 required' });
    }
    const code = randomBytes(16).toString('hex');
    codes.set(code, {
      provider,
      redirectUri,
      state: query.get('state') ?? '',
      codeChallenge: challenge,
      profile: nextProfile.get(provider) ?? { id: '1000', nickname: `${provider} user` },
    });
    const location = new URL(redirectUri);
    location.searchParams.set('code', code);
    location.searchParams.set('state', query.get('state') ?? '');
    response.writeHead(302, { location: location.toString() });
    response.end();
  };

  const token = async (
    provider: StubProvider,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> => {
    const form = await readForm(request);
    if (
      form.get('client_id') !== clientId(provider) ||
      form.get('client_secret') !== clientSecret(provider)
    ) {
      return refuse(response, provider, 'bad client credentials');
    }
    const code = form.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code);
    if (!issued || issued.provider !== provider || form.get('grant_type') !== 'authorization_code') {
      return refuse(response, provider, 'unknown or used code');
    }
    if (provider !== 'naver' && form.get('redirect_uri') !== issued.redirectUri) {
      return refuse(response, provider, 'redirect_uri mismatch');
    }
    if (issued.codeChallenge) {
      const verifier = form.get('code_verifier') ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) {
        return refuse(response, provider, 'PKCE verifier mismatch');
      }
    }
    if (provider === 'naver' && form.get('state') !== issued.state)
      return refuse(response, provider, 'state mismatch');
    const accessToken = randomBytes(16).toString('hex');
    accessTokens.set(accessToken, { provider, profile: issued.profile });
    json(response, 200, {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: 3600,
      refresh_token: 'unused',
    });
  };

  const userinfo = (provider: StubProvider, request: IncomingMessage, response: ServerResponse): void => {
    const bearer = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const grant = accessTokens.get(bearer);
    if (!grant || grant.provider !== provider) return json(response, 401, { error: 'invalid_token' });
    json(response, 200, userInfo(provider, grant.profile));
  };

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://stub');
    const [, provider, endpoint] = url.pathname.split('/') as [string, StubProvider, string];
    if (!PROVIDERS.includes(provider)) return json(response, 404, { error: 'not_found' });
    const failure = failures.get(`${provider}/${endpoint}`);
    if (failure) {
      failures.delete(`${provider}/${endpoint}`);
      if (failure === 'hang') return; // the socket stays open until the client gives up
      return json(response, failure.status, failure.body ?? { error: 'server_error' });
    }
    if (endpoint === 'authorize' && request.method === 'GET')
      return authorize(provider, url.searchParams, response);
    if (endpoint === 'token' && request.method === 'POST') return void token(provider, request, response);
    if (endpoint === 'userinfo' && request.method === 'GET') return userinfo(provider, request, response);
    json(response, 404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    refusals,
    env(providers = PROVIDERS) {
      return Object.fromEntries(
        providers.flatMap((provider) => {
          const prefix = provider.toUpperCase();
          return [
            [`${prefix}_CLIENT_ID`, clientId(provider)],
            [`${prefix}_CLIENT_SECRET`, clientSecret(provider)],
            [`${prefix}_AUTHORIZE_URL`, `${url}/${provider}/authorize`],
            [`${prefix}_TOKEN_URL`, `${url}/${provider}/token`],
            [`${prefix}_USERINFO_URL`, `${url}/${provider}/userinfo`],
          ];
        }),
      );
    },
    signInAs(provider, profile) {
      nextProfile.set(provider, profile);
    },
    failNext(provider, endpoint, failure) {
      failures.set(`${provider}/${endpoint}`, failure);
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

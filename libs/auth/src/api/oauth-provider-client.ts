import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, DependencyUnavailable } from '#platform';
import { OAuthLoginFailed } from './oauth-login-failed.js';
import { OAUTH_PROVIDER_SPECS, type OAuthProviderName, type ProviderProfile } from './oauth-providers.js';
import { StandInOAuthProvider } from './stand-in-oauth-provider.js';

export const STAND_IN_AUTHORIZE_PATH = '/api/v1/auth/dev/authorize';

export interface AuthorizationRequest {
  state: string;
  redirectUri: string;
  codeChallenge: string | null;
}

export interface CodeRedemption {
  code: string;
  state: string;
  redirectUri: string;
  codeVerifier: string | null;
}

/**
 * Talks to Kakao, Google and Naver (endpoints from config, so tests point it at a local stub), or to
 * the stand-in provider for a provider without credentials outside production. Every outbound call is
 * bounded by OAUTH_HTTP_TIMEOUT_MS; whatever the provider does becomes an OAuthLoginFailed, never a 500.
 */
@Injectable()
export class OAuthProviderClient {
  private readonly logger = new Logger(OAuthProviderClient.name);

  constructor(
    @Inject(AppConfig) private readonly config: AppConfig,
    private readonly standIn: StandInOAuthProvider,
  ) {}

  usesStandIn(provider: OAuthProviderName): boolean {
    return !this.clientId(provider);
  }

  authorizationUrl(
    provider: OAuthProviderName,
    request: AuthorizationRequest,
    publicBaseUrl: string,
  ): string {
    const spec = OAUTH_PROVIDER_SPECS[provider];
    const clientId = this.clientId(provider);
    if (!clientId && this.config.isProduction) throw new DependencyUnavailable(`${provider} login`);
    const url = clientId
      ? new URL(this.config.string(`${spec.envPrefix}_AUTHORIZE_URL`))
      : new URL(STAND_IN_AUTHORIZE_PATH, publicBaseUrl);
    const params: Record<string, string> = {
      ...(clientId ? spec.authorizeParams : { provider }),
      response_type: 'code',
      client_id: clientId ?? 'stand-in',
      redirect_uri: request.redirectUri,
      state: request.state,
    };
    if (request.codeChallenge) {
      params.code_challenge = request.codeChallenge;
      params.code_challenge_method = 'S256';
    }
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.toString();
  }

  async fetchProfile(provider: OAuthProviderName, redemption: CodeRedemption): Promise<ProviderProfile> {
    const clientId = this.clientId(provider);
    if (!clientId) {
      if (this.config.isProduction) throw OAuthLoginFailed.refused(`${provider} is not configured`);
      return this.standIn.redeem(provider, redemption.code, redemption.codeVerifier);
    }
    const spec = OAUTH_PROVIDER_SPECS[provider];
    const form = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      redirect_uri: redemption.redirectUri,
      code: redemption.code,
    });
    const secret = this.config.optionalString(`${spec.envPrefix}_CLIENT_SECRET`);
    if (secret) form.set('client_secret', secret);
    if (spec.usesPkce && redemption.codeVerifier) form.set('code_verifier', redemption.codeVerifier);
    // Naver binds the code to the state instead of a PKCE verifier.
    if (!spec.usesPkce) form.set('state', redemption.state);
    const token = await this.call(provider, 'token', this.config.string(`${spec.envPrefix}_TOKEN_URL`), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
    });
    const accessToken = (token as { access_token?: unknown } | null)?.access_token;
    // Naver reports a refused code with HTTP 200 and an `error` field.
    if (typeof accessToken !== 'string' || !accessToken)
      throw OAuthLoginFailed.refused(`${provider} refused the code`);
    const info = await this.call(
      provider,
      'user info',
      this.config.string(`${spec.envPrefix}_USERINFO_URL`),
      {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      },
    );
    const profile = spec.parseProfile(info);
    if (!profile) throw OAuthLoginFailed.refused(`${provider} returned no user id`);
    return profile;
  }

  private clientId(provider: OAuthProviderName): string | undefined {
    return this.config.optionalString(`${OAUTH_PROVIDER_SPECS[provider].envPrefix}_CLIENT_ID`);
  }

  private async call(
    provider: OAuthProviderName,
    step: string,
    url: string,
    init: RequestInit,
  ): Promise<unknown> {
    let response: Response;
    let body: unknown;
    // The timeout also bounds reading the body.
    const signal = AbortSignal.timeout(this.config.int('OAUTH_HTTP_TIMEOUT_MS'));
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal });
      body = await response.json().catch((error: unknown) => {
        if (signal.aborted) throw error;
        return null;
      });
    } catch (error) {
      this.logger.warn({ err: error, provider, step }, 'OAuth provider unreachable');
      throw OAuthLoginFailed.unreachable(`${provider} ${step} unreachable`);
    }
    if (response.status >= 500)
      throw OAuthLoginFailed.unreachable(`${provider} ${step} answered ${response.status}`);
    if (!response.ok) throw OAuthLoginFailed.refused(`${provider} ${step} answered ${response.status}`);
    return body;
  }
}

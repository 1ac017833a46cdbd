import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { LoginRedirectPolicy } from './login-redirect-policy.js';
import { OAuthProviderClient } from './oauth-provider-client.js';
import { OAUTH_PROVIDER_SPECS, type OAuthProviderName } from './oauth-providers.js';
import { OAuthStateStore } from './oauth-state-store.js';
import { codeChallengeOf, newCodeVerifier } from './pkce.js';

export interface StartOAuthLoginCommand {
  provider: OAuthProviderName;
  redirectUri?: string;
  frontendOrigin?: string;
  deviceId?: string;
  publicBaseUrl: string;
}

export interface StartedOAuthLogin {
  provider: OAuthProviderName;
  state: string;
  authorizationUrl: string;
  expiresAt: string;
}

/** `GET /auth/{provider}`: checks where the login may return, remembers it under a fresh state, builds the provider URL. */
@Injectable()
export class StartOAuthLogin {
  constructor(
    private readonly policy: LoginRedirectPolicy,
    private readonly providers: OAuthProviderClient,
    private readonly states: OAuthStateStore,
  ) {}

  async execute(command: StartOAuthLoginCommand): Promise<StartedOAuthLogin> {
    const { provider } = command;
    const frontendOrigin = this.policy.frontendOrigin(command.frontendOrigin);
    const redirectUri = this.policy.redirectUri(provider, command.redirectUri, command.publicBaseUrl);
    // The state is always ours (the reference let clients choose it), 256 random bits.
    const state = randomBytes(32).toString('base64url');
    const codeVerifier = OAUTH_PROVIDER_SPECS[provider].usesPkce ? newCodeVerifier() : null;
    const codeChallenge = codeVerifier ? codeChallengeOf(codeVerifier) : null;
    const authorizationUrl = this.providers.authorizationUrl(
      provider,
      { state, redirectUri, codeChallenge },
      command.publicBaseUrl,
    );
    const pending = await this.states.save(state, {
      provider,
      redirectUri,
      frontendOrigin,
      codeVerifier,
      codeChallenge,
      deviceId: command.deviceId ?? null,
    });
    return { provider, state, authorizationUrl, expiresAt: pending.expiresAt };
  }
}

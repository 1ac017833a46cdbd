import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '#platform';
import { OAuthLoginFailed } from './oauth-login-failed.js';
import { OAuthProviderClient } from './oauth-provider-client.js';
import type { OAuthProviderName } from './oauth-providers.js';
import { OAuthStateStore } from './oauth-state-store.js';
import { SignInUser, type ClientContext, type LoginSession } from './sign-in-user.js';

export interface CompleteOAuthLoginCommand {
  provider: OAuthProviderName;
  code?: string;
  state?: string;
  /** The provider's `error` parameter (the user declined, for instance). */
  providerError?: string;
  client: ClientContext;
}

export interface CompletedOAuthLogin extends LoginSession {
  frontendOrigin: string;
}

/**
 * The provider sent the browser back (or a native app posts the code): consume the state once, check
 * it was issued for this provider, redeem the code with the stored redirect URI and PKCE verifier, and
 * sign the user in. Every failure is an OAuthLoginFailed that knows the origin to return to.
 */
@Injectable()
export class CompleteOAuthLogin {
  private readonly logger = new Logger(CompleteOAuthLogin.name);

  constructor(
    private readonly states: OAuthStateStore,
    private readonly providers: OAuthProviderClient,
    private readonly signIn: SignInUser,
  ) {}

  async execute(command: CompleteOAuthLoginCommand): Promise<CompletedOAuthLogin> {
    const { provider, code, state } = command;
    const pending = state ? await this.states.consume(state) : null;
    if (!pending) throw OAuthLoginFailed.refused('unknown, expired or already used state');
    try {
      if (pending.provider !== provider)
        throw OAuthLoginFailed.refused('state was issued for another provider');
      if (command.providerError || !code) {
        throw OAuthLoginFailed.refused(command.providerError ?? 'no authorization code');
      }
      const profile = await this.providers.fetchProfile(provider, {
        code,
        state: state!,
        redirectUri: pending.redirectUri,
        codeVerifier: pending.codeVerifier,
      });
      const session = await this.signIn.execute(provider, profile, {
        ...command.client,
        deviceId: pending.deviceId,
      });
      return { ...session, frontendOrigin: pending.frontendOrigin };
    } catch (error) {
      if (!(error instanceof DomainError))
        this.logger.error({ err: error, provider }, 'OAuth login failed unexpectedly');
      throw OAuthLoginFailed.returningTo(pending.frontendOrigin, error);
    }
  }
}

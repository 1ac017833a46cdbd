import { Injectable } from '@nestjs/common';
import { ValidationFailed } from '#platform';
import type { OAuthProviderName } from './oauth-providers.js';
import { OAuthStateStore } from './oauth-state-store.js';
import { StandInOAuthProvider } from './stand-in-oauth-provider.js';

export interface StandInAuthorization {
  provider: OAuthProviderName;
  state: string;
  redirectUri: string;
  codeChallenge?: string;
  nickname: string;
}

/**
 * `GET /auth/dev/authorize`: what a provider's consent page does, minus the page. It only redirects to
 * the redirect URI stored with a live state, so it cannot be used as an open redirect.
 */
@Injectable()
export class AuthorizeWithStandIn {
  constructor(
    private readonly states: OAuthStateStore,
    private readonly standIn: StandInOAuthProvider,
  ) {}

  async execute(request: StandInAuthorization): Promise<string> {
    const pending = await this.states.peek(request.state);
    if (!pending || pending.provider !== request.provider || pending.redirectUri !== request.redirectUri) {
      throw new ValidationFailed([
        { field: 'state', message: 'no pending login for this state and redirect URI' },
      ]);
    }
    const code = await this.standIn.issueCode(
      request.provider,
      request.nickname,
      request.codeChallenge ?? null,
    );
    const callback = new URL(pending.redirectUri);
    callback.searchParams.set('code', code);
    callback.searchParams.set('state', request.state);
    return callback.toString();
  }
}

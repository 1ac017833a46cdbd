import { Injectable } from '@nestjs/common';
import type { OAuthProviderName } from './oauth-providers.js';
import { SignInUser, type ClientContext, type LoginSession } from './sign-in-user.js';
import { standInProfile } from './stand-in-oauth-provider.js';

/** `POST /auth/dev/login`: a session for a named stand-in user, for scripts and tests (DevOnlyGuard keeps it out of production). */
@Injectable()
export class DevLogin {
  constructor(private readonly signIn: SignInUser) {}

  execute(nickname: string, provider: OAuthProviderName, client: ClientContext): Promise<LoginSession> {
    return this.signIn.execute(provider, standInProfile(nickname), client);
  }
}

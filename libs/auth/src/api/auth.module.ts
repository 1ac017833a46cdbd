import { Module } from '@nestjs/common';
import { AuthDataModule } from '../auth-data.module.js';
import { AuthRateLimits, ClientIpRateLimitGuard } from './auth-rate-limits.js';
import { AuthController } from './auth.controller.js';
import { AuthorizeWithStandIn } from './authorize-with-stand-in.js';
import { CompleteOAuthLogin } from './complete-oauth-login.js';
import { DevAuthController } from './dev-auth.controller.js';
import { DevLogin } from './dev-login.js';
import { DevOnlyGuard } from './dev-only.guard.js';
import { JwksController } from './jwks.controller.js';
import { LogOut } from './log-out.js';
import { LoginRedirectPolicy } from './login-redirect-policy.js';
import { OAuthProviderClient } from './oauth-provider-client.js';
import { OAuthStateStore } from './oauth-state-store.js';
import { RefreshSession } from './refresh-session.js';
import { SignInUser } from './sign-in-user.js';
import { StandInOAuthProvider } from './stand-in-oauth-provider.js';
import { StartOAuthLogin } from './start-oauth-login.js';

/** `/api/v1/auth`: OAuth logins (Kakao, Google, Naver), token refresh and logout, JWKS, dev stand-ins. */
@Module({
  imports: [AuthDataModule],
  // DevAuthController first: its static `dev/...` paths must win over `:provider/...`.
  controllers: [DevAuthController, JwksController, AuthController],
  providers: [
    AuthRateLimits,
    ClientIpRateLimitGuard,
    DevOnlyGuard,
    LoginRedirectPolicy,
    OAuthStateStore,
    OAuthProviderClient,
    StandInOAuthProvider,
    SignInUser,
    StartOAuthLogin,
    CompleteOAuthLogin,
    RefreshSession,
    LogOut,
    DevLogin,
    AuthorizeWithStandIn,
  ],
})
export class AuthModule {}

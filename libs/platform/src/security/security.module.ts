import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessTokenGuard } from './access-token.guard.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { TokenKeys } from './token-keys.js';
import { UserTokenCutoffs } from './user-token-cutoffs.js';

@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [
    TokenKeys,
    UserTokenCutoffs,
    AccessTokenVerifier,
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
  exports: [TokenKeys, UserTokenCutoffs, AccessTokenVerifier, JwtModule],
})
export class SecurityModule {}

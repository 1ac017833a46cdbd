import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AccessTokenGuard } from './access-token.guard.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { TokenKeys } from './token-keys.js';

@Global()
@Module({
  imports: [JwtModule.register({})],
  providers: [TokenKeys, AccessTokenVerifier, { provide: APP_GUARD, useClass: AccessTokenGuard }],
  exports: [TokenKeys, AccessTokenVerifier, JwtModule],
})
export class SecurityModule {}

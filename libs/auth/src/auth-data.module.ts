import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoginAudit } from './login-audit.entity.js';
import { RefreshTokenFamilies } from './api/refresh-token-families.js';
import { RefreshTokenFamily } from './refresh-token-family.entity.js';
import { RefreshTokenFamilyRepository } from './refresh-token-family.repository.js';
import { SocialAccount } from './social-account.entity.js';
import { TokenBlacklist } from './api/token-blacklist.js';
import { TokenSigner } from './api/token-signer.js';
import { UserAccounts } from './user-accounts.js';
import { UserSessions } from './user-sessions.js';
import { User } from './user.entity.js';
import { UserRepository } from './user.repository.js';

/**
 * Users and their sessions without routes: the auth pod builds on it, and the my pod imports it for
 * profiles and account deletion (through UserAccounts and UserSessions, see index.ts).
 */
@Module({
  imports: [TypeOrmModule.forFeature([User, SocialAccount, LoginAudit, RefreshTokenFamily])],
  providers: [
    UserRepository,
    RefreshTokenFamilyRepository,
    TokenSigner,
    TokenBlacklist,
    RefreshTokenFamilies,
    UserAccounts,
    UserSessions,
  ],
  exports: [UserRepository, TokenBlacklist, RefreshTokenFamilies, UserAccounts, UserSessions],
})
export class AuthDataModule {}

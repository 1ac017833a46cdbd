import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Not, type EntityManager, type Repository } from 'typeorm';
import { PreparedReads, Transactions, type PreparedRead } from '#platform';
import { LoginAudit } from './login-audit.entity.js';
import type { ProviderProfile } from './api/oauth-providers.js';
import { SocialAccount } from './social-account.entity.js';
import { isUniqueViolation } from './unique-violation.js';
import type { UserAccount } from './user-accounts.js';
import { User } from './user.entity.js';

/** Shown when a provider sends neither a name nor a nickname: the app needs a non-empty username. */
const FALLBACK_USERNAME = '사용자';

export interface ProfileChanges {
  nickname?: string;
  phoneNumber?: string;
}

/** The only place that queries users, social_accounts and login_audits. */
@Injectable()
export class UserRepository {
  private accountRead?: PreparedRead;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(SocialAccount) private readonly socialAccounts: Repository<SocialAccount>,
    @InjectRepository(LoginAudit) private readonly loginAudits: Repository<LoginAudit>,
    private readonly transactions: Transactions,
    private readonly preparedReads: PreparedReads,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  /**
   * `GET /users/me`, the hottest authenticated read, in one prepared statement: the user with the
   * provider identity of the token's provider, else the most recently used one (the reference's rule,
   * applied in the ORDER BY), only the columns the account shows, hydrated by hand. TypeORM's query
   * builder, or every column of both entities through its hydration, cost more CPU than the rest of the
   * request.
   */
  async findAccount(id: string, tokenProvider: string): Promise<UserAccount | null> {
    this.accountRead ??= this.preparedReads.prepare(
      `SELECT "u"."id", "u"."username", "u"."nickname", "u"."email", "u"."phone_number",
        "u"."profile_image_url", "u"."last_login_at" AS "user_last_login_at", "s"."provider",
        "s"."last_login_at" AS "social_last_login_at"
      FROM "${this.users.metadata.tableName}" "u"
      LEFT JOIN "${this.socialAccounts.metadata.tableName}" "s" ON "s"."user_id" = "u"."id"
      WHERE "u"."id" = :id
      ORDER BY CASE WHEN "s"."provider" = :provider THEN 0 ELSE 1 END,
        "s"."last_login_at" DESC NULLS LAST, "s"."created_at" DESC NULLS LAST
      LIMIT 1`,
    );
    const [row] = await this.accountRead({ id, provider: tokenProvider });
    if (!row) return null;
    const { driver } = this.users.manager.connection;
    const date = (repository: Repository<User | SocialAccount>, value: unknown): Date | null =>
      driver.prepareHydratedValue(
        value,
        repository.metadata.findColumnWithPropertyName('lastLoginAt')!,
      ) as Date | null;
    return {
      id: row.id as string,
      username: row.username as string,
      nickname: row.nickname as string | null,
      email: row.email as string | null,
      phoneNumber: row.phone_number as string | null,
      profileImageUrl: row.profile_image_url as string | null,
      provider: (row.provider as string | null) ?? null,
      lastLoginAt:
        date(this.socialAccounts, row.social_last_login_at) ?? date(this.users, row.user_last_login_at),
    };
  }

  /**
   * The user behind (provider, provider user id), created on first login, with the provider's profile
   * refreshed. Two first logins racing on the unique key: the loser retries and finds the winner's row.
   */
  async findOrCreateForLogin(provider: string, profile: ProviderProfile, now: Date): Promise<User> {
    try {
      return await this.transactions.run((manager) => this.upsertForLogin(manager, provider, profile, now));
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.transactions.run((manager) => this.upsertForLogin(manager, provider, profile, now));
    }
  }

  async recordLogin(audit: Omit<LoginAudit, 'id'>): Promise<void> {
    await this.loginAudits.insert({ id: randomUUID(), ...audit });
  }

  isPhoneNumberHeldByAnother(phoneNumber: string, userId: string): Promise<boolean> {
    return this.users.existsBy({ phoneNumber, id: Not(userId) });
  }

  /** Applies the changes; `phone_taken` when another user holds the number (checked, then enforced by the unique key). */
  async updateProfile(
    userId: string,
    changes: ProfileChanges,
    now: Date,
  ): Promise<'updated' | 'phone_taken'> {
    try {
      await this.users.update({ id: userId }, { ...changes, updatedAt: now });
      return 'updated';
    } catch (error) {
      if (isUniqueViolation(error)) return 'phone_taken';
      throw error;
    }
  }

  /** Deletes the user; social accounts, token families, audits and every other domain's rows cascade. */
  async delete(userId: string): Promise<boolean> {
    const result = await this.users.delete({ id: userId });
    return (result.affected ?? 0) > 0;
  }

  private async upsertForLogin(
    manager: EntityManager,
    provider: string,
    profile: ProviderProfile,
    now: Date,
  ): Promise<User> {
    const users = manager.getRepository(User);
    const socialAccounts = manager.getRepository(SocialAccount);
    const account = await socialAccounts.findOneBy({ provider, providerUserId: profile.providerUserId });
    if (!account) {
      const user: User = {
        id: randomUUID(),
        username: profile.name ?? profile.nickname ?? FALLBACK_USERNAME,
        nickname: profile.nickname ?? profile.name,
        email: profile.email,
        phoneNumber: await this.unclaimedPhoneNumber(users, profile.phoneNumber, null),
        profileImageUrl: profile.profileImageUrl,
        lastLoginAt: now,
        createdAt: now,
        updatedAt: now,
      };
      await users.insert(user);
      await socialAccounts.insert({
        id: randomUUID(),
        userId: user.id,
        provider,
        providerUserId: profile.providerUserId,
        email: profile.email,
        lastLoginAt: now,
        createdAt: now,
        updatedAt: now,
      });
      return user;
    }
    const user = await users.findOneByOrFail({ id: account.userId });
    // Provider-owned fields follow the provider; the nickname is the user's to edit (PATCH /me), so a
    // later login only fills it when empty, and a phone number only when none is stored.
    const refreshed: Partial<User> = {
      username: profile.name ?? profile.nickname ?? user.username,
      nickname: user.nickname ?? profile.nickname ?? profile.name,
      email: profile.email ?? user.email,
      profileImageUrl: profile.profileImageUrl ?? user.profileImageUrl,
      phoneNumber: user.phoneNumber ?? (await this.unclaimedPhoneNumber(users, profile.phoneNumber, user.id)),
      lastLoginAt: now,
      updatedAt: now,
    };
    await users.update({ id: user.id }, refreshed);
    await socialAccounts.update(
      { id: account.id },
      { email: profile.email ?? account.email, lastLoginAt: now, updatedAt: now },
    );
    return { ...user, ...refreshed };
  }

  private async unclaimedPhoneNumber(
    users: Repository<User>,
    phoneNumber: string | null,
    userId: string | null,
  ): Promise<string | null> {
    if (!phoneNumber) return null;
    const holder = await users.findOneBy({ phoneNumber });
    return holder && holder.id !== userId ? null : phoneNumber;
  }
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/**
 * One login's chain of refresh tokens (the `fam` claim). Only the newest refresh token of a family is
 * accepted; presenting an older one means it was copied, so the whole family is revoked.
 */
@Entity('refresh_token_families')
export class RefreshTokenFamily {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'current_refresh_jti', type: 'varchar', length: 64 })
  currentRefreshJti: string;

  /** The access token issued with the current refresh token, blacklisted when the family is revoked. */
  @Column({ name: 'current_access_jti', type: 'varchar', length: 64 })
  currentAccessJti: string;

  @TimestampColumn({ name: 'access_expires_at' })
  accessExpiresAt: Date;

  /** Expiry of the current refresh token: the family is dead after it. */
  @TimestampColumn({ name: 'expires_at' })
  expiresAt: Date;

  @TimestampColumn({ name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'device_id', type: 'varchar', length: 120, nullable: true })
  deviceId: string | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

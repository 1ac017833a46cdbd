import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/** One row per successful login (not per refresh). */
@Entity('login_audits')
export class LoginAudit {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  provider: string;

  @Column({ name: 'access_jti', type: 'varchar', length: 64 })
  accessJti: string;

  @Column({ name: 'login_ip', type: 'varchar', length: 64, nullable: true })
  loginIp: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent: string | null;

  @TimestampColumn({ name: 'issued_at' })
  issuedAt: Date;
}

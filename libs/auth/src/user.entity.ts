import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

@Entity('users')
export class User {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Always non-empty: the app treats a user without a username as logged out. */
  @Column({ type: 'varchar', length: 120 })
  username: string;

  @Column({ type: 'varchar', length: 120, nullable: true })
  nickname: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  email: string | null;

  /** Normalised Korean mobile number (010-XXXX-XXXX); unique across users. */
  @Column({ name: 'phone_number', type: 'varchar', length: 20, nullable: true })
  phoneNumber: string | null;

  @Column({ name: 'profile_image_url', type: 'varchar', length: 512, nullable: true })
  profileImageUrl: string | null;

  @TimestampColumn({ name: 'last_login_at', nullable: true })
  lastLoginAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

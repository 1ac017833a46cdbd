import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/** One user owns one character at most once: unique (user_id, character_code). */
@Entity('character_ownerships')
export class CharacterOwnership {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ name: 'character_id', type: 'varchar', length: 36 })
  characterId: string;

  @Column({ name: 'character_code', type: 'varchar', length: 64 })
  characterCode: string;

  /** `default-onboard` or `scan`. */
  @Column({ type: 'varchar', length: 32 })
  source: string;

  @TimestampColumn({ name: 'acquired_at' })
  acquiredAt: Date;
}

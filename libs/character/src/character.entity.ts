import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

@Entity('characters')
export class Character {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  code: string;

  @Column({ type: 'varchar', length: 64 })
  name: string;

  /** What items the character stands for ("type" in the API). */
  @Column({ name: 'type_label', type: 'varchar', length: 255 })
  typeLabel: string;

  @Column({ type: 'varchar', length: 512 })
  dialog: string;

  /** The scan middle category that earns this character; 이코's label is never matched by a scan. */
  @Column({ name: 'match_label', type: 'varchar', length: 64, nullable: true })
  matchLabel: string | null;

  @Column({ name: 'cdn_code', type: 'varchar', length: 64, nullable: true })
  cdnCode: string | null;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault: boolean;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

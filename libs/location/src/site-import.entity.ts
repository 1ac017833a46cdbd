import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TimestampColumn } from '#platform';

/** One applied import of a sites file: lets a pod tell whether the shipped file is already in. */
@Entity('location_site_imports')
export class SiteImport {
  @PrimaryGeneratedColumn('increment')
  id: number;

  @Column({ type: 'varchar', length: 16 })
  source: string;

  /** `shipped` (the data in the image, imported at boot) or `command` (`npm run import:sites`). */
  @Column({ type: 'varchar', length: 16 })
  origin: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'file_hash', type: 'varchar', length: 64 })
  fileHash: string;

  @Column({ type: 'integer' })
  added: number;

  @Column({ type: 'integer' })
  updated: number;

  @Column({ type: 'integer' })
  retired: number;

  @Column({ type: 'integer' })
  unchanged: number;

  @Column({ type: 'integer' })
  skipped: number;

  @TimestampColumn({ name: 'imported_at' })
  importedAt: Date;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TimestampColumn } from '#platform';
import type { AcceptedContentType, ImageChannel } from './image-formats.js';

/**
 * `pending` until the storage worker has checked the upload; `ready` once the cleaned public object
 * exists; `rejected` when the file is not an allowed image (never served, never given to the AI);
 * `deleted` once its objects are gone (unused for 24 h, or the account was deleted).
 */
export type ImageUploadStatus = 'pending' | 'ready' | 'rejected' | 'deleted';

@Entity('image_uploads')
export class ImageUpload {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @Column({ type: 'varchar', length: 16 })
  channel: ImageChannel;

  @Column({ name: 'staging_key', type: 'varchar', length: 255 })
  stagingKey: string;

  @Column({ name: 'public_key', type: 'varchar', length: 255 })
  publicKey: string;

  @Column({ name: 'thumbnail_key', type: 'varchar', length: 255 })
  thumbnailKey: string;

  @Column({ name: 'original_filename', type: 'varchar', length: 255 })
  originalFilename: string;

  @Column({ name: 'declared_content_type', type: 'varchar', length: 64 })
  declaredContentType: AcceptedContentType;

  @Column({ name: 'declared_size', type: 'integer', nullable: true })
  declaredSize: number | null;

  @Column({ type: 'varchar', length: 16 })
  status: ImageUploadStatus;

  /** The format sharp found in the bytes (magic numbers), whatever the browser claimed. */
  @Column({ name: 'detected_format', type: 'varchar', length: 16, nullable: true })
  detectedFormat: string | null;

  /** Bytes of the uploaded original. */
  @Column({ type: 'integer', nullable: true })
  size: number | null;

  @Column({ type: 'integer', nullable: true })
  width: number | null;

  @Column({ type: 'integer', nullable: true })
  height: number | null;

  @Column({ name: 'rejection_reason', type: 'varchar', length: 255, nullable: true })
  rejectionReason: string | null;

  /** Last time an `image.uploaded` message was published for it (the sweep does not flood the queue). */
  @TimestampColumn({ name: 'queued_at', nullable: true })
  queuedAt: Date | null;

  /** Last time the pending sweep looked for its object and found none (the sweep takes the least recent). */
  @TimestampColumn({ name: 'checked_at', nullable: true })
  checkedAt: Date | null;

  @TimestampColumn({ name: 'processed_at', nullable: true })
  processedAt: Date | null;

  /** Set when a scan or chat message refers to it: used uploads survive the 24 h cleanup. */
  @TimestampColumn({ name: 'used_at', nullable: true })
  usedAt: Date | null;

  @TimestampColumn({ name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  @TimestampColumn({ name: 'created_at' })
  createdAt: Date;

  @TimestampColumn({ name: 'updated_at' })
  updatedAt: Date;
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, MoreThanOrEqual, Not, Or, type Repository } from 'typeorm';
import { PreparedReads, type PreparedEntityRead } from '#platform';
import { ImageUpload } from './image-upload.entity.js';

export interface ImageFacts {
  detectedFormat: string | null;
  size: number | null;
  width?: number | null;
  height?: number | null;
}

function isForeignKeyViolation(error: unknown): boolean {
  const cause = (error as { driverError?: { code?: string } }).driverError;
  // PostgreSQL foreign_key_violation, SQLite's extended result code.
  return cause?.code === '23503' || cause?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** The only place that queries `image_uploads`. */
@Injectable()
export class ImageUploadRepository {
  /** Each scan reads its upload by public key (submit, AI worker) and by id (storage worker). */
  private byId?: PreparedEntityRead<ImageUpload>;
  private byPublicKey?: PreparedEntityRead<ImageUpload>;

  constructor(
    @InjectRepository(ImageUpload) private readonly uploads: Repository<ImageUpload>,
    private readonly preparedReads: PreparedReads,
  ) {}

  /** `unknown-user` when the owner row does not exist (deleted account with a still-valid token). */
  async insert(upload: ImageUpload): Promise<'inserted' | 'unknown-user'> {
    try {
      await this.uploads.insert(upload);
      return 'inserted';
    } catch (error) {
      if (isForeignKeyViolation(error)) return 'unknown-user';
      throw error;
    }
  }

  async findById(id: string): Promise<ImageUpload | null> {
    this.byId ??= this.preparedReads.prepareEntities(ImageUpload, '"id" = :id');
    return (await this.byId({ id }))[0] ?? null;
  }

  async findByPublicKey(publicKey: string): Promise<ImageUpload | null> {
    this.byPublicKey ??= this.preparedReads.prepareEntities(ImageUpload, '"public_key" = :publicKey');
    return (await this.byPublicKey({ publicKey }))[0] ?? null;
  }

  /**
   * Pending uploads created since `createdSince` that were never queued, or queued before `queuedBefore`:
   * never checked first (newest first: the likeliest just uploaded), then the least recently checked,
   * so upload URLs that are never used rotate to the back instead of filling every batch.
   */
  findPendingToQueue(createdSince: Date, queuedBefore: Date, limit: number): Promise<ImageUpload[]> {
    return this.uploads.find({
      where: {
        status: 'pending',
        createdAt: MoreThanOrEqual(createdSince),
        queuedAt: Or(IsNull(), LessThan(queuedBefore)),
      },
      order: { checkedAt: { direction: 'ASC', nulls: 'FIRST' }, createdAt: 'DESC' },
      take: limit,
    });
  }

  /** The user's upload URLs not used yet (pending, never queued) issued since `createdSince`, oldest first. */
  findUnusedIssuedSince(userId: string, createdSince: Date, limit: number): Promise<ImageUpload[]> {
    return this.uploads.find({
      where: { userId, status: 'pending', queuedAt: IsNull(), createdAt: MoreThanOrEqual(createdSince) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Uploads nobody referred to, created before `cutoff`, whose objects still exist. */
  findUnusedCreatedBefore(cutoff: Date, limit: number): Promise<ImageUpload[]> {
    return this.uploads.find({
      where: { status: Not('deleted'), usedAt: IsNull(), createdAt: LessThan(cutoff) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }

  findNotDeletedOfUser(userId: string): Promise<ImageUpload[]> {
    return this.uploads.find({ where: { userId, status: Not('deleted') }, order: { createdAt: 'ASC' } });
  }

  /**
   * Only rows still pending: the sweep reads a batch, then checks each object, and a row processed in
   * between is no longer the sweep's to mark (a redelivery finds it exactly as processing left it).
   */
  async markChecked(ids: string[], at: Date): Promise<void> {
    if (ids.length > 0) await this.uploads.update({ id: In(ids), status: 'pending' }, { checkedAt: at });
  }

  async markQueued(ids: string[], at: Date): Promise<void> {
    if (ids.length > 0) await this.uploads.update({ id: In(ids) }, { queuedAt: at, updatedAt: at });
  }

  /** Only a pending upload changes: a redelivered message or a concurrent inline run finds it done. */
  async markReady(id: string, facts: ImageFacts, at: Date): Promise<boolean> {
    const result = await this.uploads.update(
      { id, status: 'pending' },
      { status: 'ready', ...facts, processedAt: at, updatedAt: at },
    );
    return (result.affected ?? 0) > 0;
  }

  async markRejected(id: string, reason: string, facts: ImageFacts, at: Date): Promise<boolean> {
    const result = await this.uploads.update(
      { id, status: 'pending' },
      { status: 'rejected', rejectionReason: reason.slice(0, 255), ...facts, processedAt: at, updatedAt: at },
    );
    return (result.affected ?? 0) > 0;
  }

  async markUsed(publicKey: string, at: Date): Promise<void> {
    await this.uploads.update({ publicKey, usedAt: IsNull() }, { usedAt: at, updatedAt: at });
  }

  /** Only while nobody has used it: the cleanup must not delete an image a scan just referred to. */
  async markDeletedIfUnused(id: string, at: Date): Promise<boolean> {
    const result = await this.uploads.update(
      { id, status: Not('deleted'), usedAt: IsNull() },
      { status: 'deleted', deletedAt: at, updatedAt: at },
    );
    return (result.affected ?? 0) > 0;
  }

  async markDeleted(id: string, at: Date): Promise<void> {
    await this.uploads.update(
      { id, status: Not('deleted') },
      { status: 'deleted', deletedAt: at, updatedAt: at },
    );
  }
}

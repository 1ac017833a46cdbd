import { Inject, Injectable, Logger } from '@nestjs/common';
import { KEY_VALUE_STORE, type KeyValueStore } from '#platform';
import type { StepCheckpoints } from './worker-journal.js';

const TTL_SECONDS = 24 * 3600;
const keyOf = (jobId: string): string => `scan:checkpoints:${jobId}`;

/**
 * Finished steps, written through to the shared key-value store as well as the pod's journal: the
 * journal survives a restart of the same pod, but a redelivered message may land on another AI pod,
 * which then resumes after the last finished step instead of paying for the provider calls again.
 * Best effort: when the store is unreachable the only cost is a repeated step.
 */
@Injectable()
export class SharedStepCheckpoints {
  private readonly logger = new Logger(SharedStepCheckpoints.name);

  constructor(@Inject(KEY_VALUE_STORE) private readonly kv: KeyValueStore) {}

  async load(jobId: string): Promise<StepCheckpoints> {
    try {
      const raw = await this.kv.get(keyOf(jobId));
      return raw ? (JSON.parse(raw) as StepCheckpoints) : {};
    } catch (error) {
      this.logger.warn({ jobId, err: (error as Error).message }, 'could not read shared step checkpoints');
      return {};
    }
  }

  async save(jobId: string, checkpoints: StepCheckpoints): Promise<void> {
    try {
      await this.kv.set(keyOf(jobId), JSON.stringify(checkpoints), { ttlSeconds: TTL_SECONDS });
    } catch (error) {
      this.logger.warn({ jobId, err: (error as Error).message }, 'could not write shared step checkpoints');
    }
  }
}

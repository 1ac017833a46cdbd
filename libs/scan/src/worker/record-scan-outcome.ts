import { Injectable } from '@nestjs/common';
import { Transactions } from '#platform';
import { CharacterOwnerships } from '#character';
import { ScanJobRepository } from '../scan-job.repository.js';
import type { PipelineResult, ScanFailure, ScanReward } from '../scan-result.types.js';
import { earnsReward, matchReasonOf } from './scan-reward.js';

export interface FinishedPipeline {
  jobId: string;
  userId: string;
  pipelineResult: PipelineResult;
  provider: string;
  latencyMs: number;
  completedAt: Date;
}

/**
 * Writes a job's outcome to the database. Completion and the reward grant are one transaction that
 * first moves the job out of its unfinished state: a job finished before (redelivered, resumed, synced
 * twice) changes nothing and grants nothing, so a reward is granted at most once per job.
 */
@Injectable()
export class RecordScanOutcome {
  constructor(
    private readonly transactions: Transactions,
    private readonly jobs: ScanJobRepository,
    private readonly ownerships: CharacterOwnerships,
  ) {}

  /** The reward written with the completion, or undefined when the job was finished before (nothing written). */
  async completed(scan: FinishedPipeline): Promise<{ reward: ScanReward | null } | undefined> {
    const {
      classification_result: classification,
      disposal_rules: rules,
      final_answer: answer,
    } = scan.pipelineResult;
    const character = earnsReward(classification, rules, answer)
      ? await this.ownerships.findByMatchLabel(classification.classification.middle_category)
      : null;
    return this.transactions.run(async (manager) => {
      if (!(await this.jobs.completeIfUnfinished(manager, scan.jobId, scan))) return undefined;
      let reward: ScanReward | null = null;
      if (character) {
        const grant = await this.ownerships.grant(scan.userId, character, 'scan', manager);
        reward = {
          code: character.code,
          name: character.name,
          dialog: character.dialog,
          type: character.typeLabel,
          match_reason: matchReasonOf(classification),
          received: grant.received,
          already_owned: grant.alreadyOwned,
        };
      }
      await this.jobs.setReward(manager, scan.jobId, reward);
      return { reward };
    });
  }

  async failed(jobId: string, failure: ScanFailure, at: Date): Promise<void> {
    await this.jobs.failIfUnfinished(jobId, failure, at);
  }
}

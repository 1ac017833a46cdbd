/** Where a stage of a queued job stands; every stage event carries one. */
export type StageStatus = 'started' | 'completed' | 'failed';

/** Where the client's progress bar stands when a stage starts and when it completes. */
export interface StageProgress {
  started: number;
  completed: number;
}

/**
 * The ordered stages of one kind of job, from `queued` to `done`, and the two numbers each stage
 * event carries. The seq is the stage index × 10, +1 when completed, +2 when failed, so every event of
 * a job has its own seq and a repeated one (a redelivered job) is recognised.
 */
export class JobStages<S extends string> {
  constructor(
    readonly order: readonly S[],
    private readonly progressTable: Readonly<Record<S, StageProgress>>,
  ) {
    if (order[0] !== 'queued' || order[order.length - 1] !== 'done')
      throw new Error('a job’s stages run from `queued` to `done`');
  }

  seq(stage: S, status: StageStatus): number {
    const index = this.order.indexOf(stage);
    if (index < 0) throw new Error(`unknown stage ${stage}`);
    return index * 10 + (status === 'completed' ? 1 : status === 'failed' ? 2 : 0);
  }

  /** A failed stage leaves the bar where the stage started. */
  progress(stage: S, status: StageStatus): number {
    const table = this.progressTable[stage];
    return status === 'failed' ? table.started : table[status];
  }
}

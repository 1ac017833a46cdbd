import type { MessageBus, QueueMessage, QueueName } from '../messaging/message-bus.js';

/** One delivery of a job's message, as a pipeline needs to see it. */
export interface JobDelivery<M> {
  message: M;
  /** The queue will not deliver again: a transient failure must end the job visibly now. */
  lastAttempt: boolean;
}

export interface JobQueueOptions<M> {
  queue: QueueName;
  concurrency: number;
  /** QUEUE_MAX_ATTEMPTS: the delivery with this attempt number is the last. */
  maxAttempts: number;
  /** The job a message is about; runs for one job never overlap in this process. */
  jobIdOf(message: M): string;
}

/**
 * Consumes a job queue with `concurrency` jobs in flight, runs of one job serialised in this process
 * (a job resumed from a journal and its redelivered message never work side by side). `runResumed`
 * joins the same serialisation for runs that did not come from the queue.
 */
export class JobQueue<M> {
  private readonly runs = new Map<string, Promise<void>>();

  constructor(
    private readonly bus: MessageBus,
    private readonly options: JobQueueOptions<M>,
  ) {}

  consume(run: (delivery: JobDelivery<M>) => Promise<void>): Promise<void> {
    return this.bus.consume<M>(
      this.options.queue,
      (delivery: QueueMessage<M>) =>
        this.serialised(delivery.body, () =>
          run({ message: delivery.body, lastAttempt: delivery.attempt >= this.options.maxAttempts }),
        ),
      { concurrency: this.options.concurrency },
    );
  }

  /** A run that did not come from the queue (resumed after a restart), serialised with deliveries. */
  runResumed(message: M, run: (delivery: JobDelivery<M>) => Promise<void>): Promise<void> {
    return this.serialised(message, () => run({ message, lastAttempt: false }));
  }

  private serialised(message: M, work: () => Promise<void>): Promise<void> {
    const jobId = this.options.jobIdOf(message);
    const previous = this.runs.get(jobId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(work);
    this.runs.set(jobId, run);
    const forget = (): void => {
      if (this.runs.get(jobId) === run) this.runs.delete(jobId);
    };
    run.then(forget, forget);
    return run;
  }
}

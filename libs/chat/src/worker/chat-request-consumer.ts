import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, JobQueue, jobLimitsOf, MESSAGE_BUS, type MessageBus } from '#platform';
import { AnswerChatTurn } from './answer-chat-turn.js';
import { CHAT_QUEUE, type ChatRequestedMessage } from '../chat-request.js';
import { CHAT_LIMITS } from '../chat.env.js';

/** A message without a usable job id answers nothing (the turn looks it up and finds none). */
const jobIdOf = (message: ChatRequestedMessage): string =>
  typeof message?.job_id === 'string' ? message.job_id : '';

/**
 * The AI worker's entry for chat: consumes `chat.requested`, `CHAT_WORKER_CONCURRENCY` turns at once
 * (the work waits on the provider, not the CPU). A handler that throws is retried by the bus with
 * backoff; on the last delivery the turn fails visibly instead.
 */
@Injectable()
export class ChatRequestConsumer implements OnApplicationBootstrap {
  private readonly queue: JobQueue<ChatRequestedMessage>;

  constructor(
    private readonly answerChatTurn: AnswerChatTurn,
    @Inject(MESSAGE_BUS) bus: MessageBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.queue = new JobQueue(bus, {
      queue: CHAT_QUEUE,
      concurrency: jobLimitsOf(config, CHAT_LIMITS).concurrency,
      maxAttempts: config.int('QUEUE_MAX_ATTEMPTS'),
      jobIdOf,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.consume(({ message, lastAttempt }) =>
      this.answerChatTurn.run(jobIdOf(message), lastAttempt),
    );
  }
}

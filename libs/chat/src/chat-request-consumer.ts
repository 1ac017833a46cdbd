import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig, MESSAGE_BUS, type MessageBus, type QueueMessage } from '../../platform/src/index.js';
import { AnswerChatTurn } from './answer-chat-turn.js';
import { CHAT_QUEUE, type ChatRequestedMessage } from './chat-request.js';

/** Turns one AI worker answers at once: the work waits on the provider, not the CPU. */
const CONCURRENCY = 8;

/**
 * The AI worker's entry for chat: consumes `chat.requested`. A handler that throws is retried by the
 * bus with backoff; on the last delivery the turn fails visibly instead.
 */
@Injectable()
export class ChatRequestConsumer implements OnApplicationBootstrap {
  private readonly maxAttempts: number;

  constructor(
    private readonly answerChatTurn: AnswerChatTurn,
    @Inject(MESSAGE_BUS) private readonly bus: MessageBus,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.maxAttempts = config.int('QUEUE_MAX_ATTEMPTS');
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.consume<ChatRequestedMessage>(CHAT_QUEUE, (message) => this.handle(message), {
      concurrency: CONCURRENCY,
    });
  }

  private handle(message: QueueMessage<ChatRequestedMessage>): Promise<void> {
    const jobId = typeof message.body?.job_id === 'string' ? message.body.job_id : '';
    return this.answerChatTurn.run(jobId, message.attempt >= this.maxAttempts);
  }
}

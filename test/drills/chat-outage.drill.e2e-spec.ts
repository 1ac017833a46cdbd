import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { drillRequest, reportDrill, type AnswerKind } from '../support/drill-report.js';
import { startOpenAiStub, type OpenAiStub } from '../support/openai-stub.js';
import { listenOnFreePort } from '../support/scan-flow.js';
import { bootTestApp, productionEnv, type TestApp } from '../support/test-app.js';
import { createTestUser, type TestUser } from '../support/test-tokens.js';
import { throwawayRabbitMq } from '../support/throwaway-rabbitmq.js';
import type { Throwaway } from '../support/throwaway.js';
import { waitUntil } from '../support/wait.js';

const ANSWER = '페트병은 라벨을 떼고 헹군 뒤 투명 페트병 전용 수거함에 버려요.';

/** Chat turns as the app sends them: one chat per turn, so each turn's messages are its own. */
class ChatTurns {
  readonly answers: AnswerKind[] = [];
  /** Accepted turns: chat id → job id. */
  readonly accepted = new Map<string, string>();

  constructor(
    private readonly app: TestApp,
    private readonly baseUrl: string,
    private readonly user: TestUser,
  ) {}

  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const result = await drillRequest(`${this.baseUrl}/api/v1/chat${path}`, {
      method,
      headers: { authorization: this.user.bearer, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.answers.push(result.kind);
    return result;
  }

  async submit(message = '페트병은 어떻게 버려요?'): Promise<void> {
    const created = await this.call('POST', '', {});
    expect(created.status).toBe(201);
    const chatId = (created.body as { id: string }).id;
    const submitted = await this.call('POST', `/${chatId}/messages`, { message });
    expect(submitted.status).toBe(202);
    this.accepted.set(chatId, (submitted.body as { job_id: string }).job_id);
  }

  /** Each accepted turn's end: its job status and the roles of its chat's stored messages. */
  async outcomes(): Promise<{ status: string; roles: string[] }[]> {
    const dataSource = this.app.app.get(DataSource);
    return Promise.all(
      [...this.accepted].map(async ([chatId, jobId]) => {
        const [job] = (await dataSource.query('SELECT status FROM chat_jobs WHERE id = $1', [jobId])) as {
          status: string;
        }[];
        const chat = await this.call('GET', `/${chatId}`);
        const messages = (chat.body as { messages?: { role: string }[] }).messages ?? [];
        return { status: job?.status ?? 'missing', roles: messages.map((m) => m.role) };
      }),
    );
  }

  async awaitEnded(timeoutMs: number): Promise<{ status: string; roles: string[] }[]> {
    let last: { status: string; roles: string[] }[] = [];
    await waitUntil(
      async () => {
        last = await this.outcomes();
        return last.every((o) => o.status === 'completed' || o.status === 'failed');
      },
      timeoutMs,
      'every accepted chat turn to end',
      500,
    ).catch(() => undefined);
    return last;
  }

  report(
    name: string,
    outcomes: { status: string; roles: string[] }[],
    extra: Record<string, number> = {},
  ): void {
    const answered = outcomes.filter((o) => o.status === 'completed' && o.roles.join() === 'user,assistant');
    const failed = outcomes.filter((o) => o.status === 'failed');
    reportDrill(name, {
      accepted: this.accepted.size,
      completed: answered.length,
      failed: failed.length,
      lost: outcomes.filter((o) => o.status !== 'completed' && o.status !== 'failed').length,
      duplicated: outcomes.filter((o) => o.roles.length > 2).length,
      server_errors: this.answers.filter((k) => k === 'server_error').length,
      ...extra,
    });
  }
}

describe('drill: RabbitMQ down for chat', () => {
  let broker: Throwaway;
  let stub: OpenAiStub;
  let app: TestApp;
  let turns: ChatTurns;

  beforeAll(async () => {
    [broker, stub] = await Promise.all([throwawayRabbitMq(), startOpenAiStub()]);
    stub.on('*', () => ({ content: ANSWER }));
    app = await bootTestApp(
      await productionEnv({
        APP_ROLE: 'all',
        APP_DOMAINS: 'chat',
        WORKER_ROLES: 'ai',
        AMQP_URL: broker.url,
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: stub.baseUrl,
        OUTBOX_POLL_MS: '100',
        OUTBOX_MAX_BACKOFF_MS: '1000',
      }),
    );
    turns = new ChatTurns(app, await listenOnFreePort(app), await createTestUser(app, 'rmq-chat-drill'));
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await stub?.close();
    await broker?.destroy();
  });

  it('answers every message accepted while the broker was down once it is back, none lost or doubled', async () => {
    for (let i = 0; i < 3; i++) await turns.submit();
    await broker.stop();
    for (let i = 0; i < 4; i++) await turns.submit();
    await broker.start();
    for (let i = 0; i < 3; i++) await turns.submit();

    const outcomes = await turns.awaitEnded(60_000);
    turns.report('rabbitmq-down-chat', outcomes);
    expect(outcomes).toHaveLength(10);
    expect(outcomes).toEqual(outcomes.map(() => ({ status: 'completed', roles: ['user', 'assistant'] })));
    expect(turns.answers.filter((k) => k === 'server_error')).toEqual([]);
  }, 180_000);
});

describe('drill: AI worker SIGKILLed during chat turns', () => {
  let stub: OpenAiStub;
  let api: TestApp;
  let workerEnv: NodeJS.ProcessEnv;
  let worker: AppProcess;
  let turns: ChatTurns;

  const startWorker = async (): Promise<AppProcess> => {
    const started = await startAppProcess({ ...workerEnv, APP_ROLE: 'worker', WORKER_ROLES: 'ai' });
    await started.waitForReady(120_000);
    return started;
  };

  beforeAll(async () => {
    stub = await startOpenAiStub();
    const env = await productionEnv({
      APP_ROLE: 'api',
      APP_DOMAINS: 'chat',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: stub.baseUrl,
      OUTBOX_POLL_MS: '100',
    });
    api = await bootTestApp(env);
    const { STATE_DIR: _ownStateDir, ...shared } = env;
    workerEnv = { ...shared, DATABASE_MIGRATE: 'false', CHAT_WORKER_CONCURRENCY: '16' };
    worker = await startWorker();
    turns = new ChatTurns(api, await listenOnFreePort(api), await createTestUser(api, 'sigkill-chat-drill'));
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await stub?.close();
  });

  it('ends every accepted turn answered or failed, with its messages stored once, after a SIGKILL mid-answer', async () => {
    // Slow answers: every turn is inside a model call when the worker dies.
    stub.on('*', () => ({ content: ANSWER, delayMs: 2000 }));
    for (let i = 0; i < 8; i++) await turns.submit();
    await waitUntil(async () => stub.requests.length >= 8, 30_000, 'every turn asking the model');
    worker.child.kill('SIGKILL');
    await worker.exited;
    stub.on('*', () => ({ content: ANSWER }));
    worker = await startWorker();

    const outcomes = await turns.awaitEnded(90_000);
    turns.report('ai-worker-sigkill-chat', outcomes);
    expect(outcomes).toHaveLength(8);
    for (const outcome of outcomes) {
      expect(['completed', 'failed']).toContain(outcome.status);
      // Answered: the question and its answer, once each; failed: the question kept, no half answer.
      expect(outcome.roles).toEqual(outcome.status === 'completed' ? ['user', 'assistant'] : ['user']);
    }
    expect(turns.answers.filter((k) => k === 'server_error')).toEqual([]);
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AiProviderError,
  type AiChatMessage,
  type AiProvider,
  type AiRequest,
  type AiToolTurnRequest,
  type AiTurnPart,
  type StructuredAiRequest,
} from './ai-provider.js';

/** The task every fixture must answer: structured → CONTRACT_ANSWER, streamed → CONTRACT_TEXT. */
export const CONTRACT_TASK = 'contract-sorting';
/** A task every fixture must fail, non-retryably (local: no solver; OpenAI: a 400 from the server). */
export const CONTRACT_BROKEN_TASK = 'contract-broken';

export const CONTRACT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['major', 'middle', 'confidence', 'tags'],
  properties: {
    major: { type: 'string' },
    middle: { type: 'string' },
    confidence: { type: 'number' },
    tags: { type: 'array', items: { type: 'string' } },
  },
};
export const CONTRACT_ANSWER = {
  major: '재활용폐기물',
  middle: '무색페트병',
  confidence: 0.93,
  tags: ['라벨 제거'],
};
export const CONTRACT_TEXT = '내용물을 비우고 라벨을 떼어 투명 페트병 전용 수거함에 버려 주세요.';

export function contractRequest(task = CONTRACT_TASK): StructuredAiRequest {
  return {
    task,
    system: 'You classify household waste for Korean separation rules.',
    prompt: `task=${task}: 투명 생수병`,
    schemaName: task.replace(/-/g, '_'),
    schema: CONTRACT_SCHEMA,
  };
}

export function contractTextRequest(task = CONTRACT_TASK): AiRequest {
  return {
    task,
    system: 'You are 이코, a friendly recycling assistant.',
    prompt: `task=${task}: 페트병 버리는 법`,
  };
}

/** The contract's tool round: asked with the tool offered, every fixture calls it twice in one round. */
export const CONTRACT_TOOL = {
  name: 'lookup_rule',
  description: 'Disposal rule of one item',
  parameters: {
    type: 'object',
    additionalProperties: false,
    required: ['item'],
    properties: { item: { type: 'string' } },
  },
};
export const CONTRACT_TOOL_ITEMS = ['페트병', '캔'];

export function contractTurnRequest(messages: AiChatMessage[] = []): AiToolTurnRequest {
  return {
    task: CONTRACT_TASK,
    messages: [
      { role: 'system', content: 'You are 이코. Use lookup_rule for every item.' },
      { role: 'user', content: '페트병이랑 캔 버리는 법' },
      ...messages,
    ],
    tools: [CONTRACT_TOOL],
  };
}

/** What every fixture answers once the tool results are in: the results, joined. */
export function contractTurnAnswer(toolResults: string[]): string {
  return `정리하면: ${toolResults.join(' / ')}`;
}

export interface AiProviderFixture {
  provider: AiProvider;
  cleanup?(): Promise<void>;
}

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const pieces: string[] = [];
  for await (const piece of stream) pieces.push(piece);
  return pieces;
}

/** What every AiProvider adapter must do: structured JSON answers, streamed text, typed failures. */
export function describeAiProviderContract(name: string, factory: () => Promise<AiProviderFixture>): void {
  describe(`AiProvider contract: ${name}`, () => {
    let fixture: AiProviderFixture;

    beforeAll(async () => {
      fixture = await factory();
    });
    afterAll(async () => {
      await fixture?.cleanup?.();
    });

    it('answers ping', async () => {
      await expect(fixture.provider.ping()).resolves.toBeUndefined();
    });

    it('generateJson returns the structured answer as parsed JSON', async () => {
      expect(await fixture.provider.generateJson(contractRequest())).toEqual(CONTRACT_ANSWER);
    });

    it('streamText yields the answer in several pieces that join to the whole text', async () => {
      const pieces = await collect(fixture.provider.streamText(contractTextRequest()));
      expect(pieces.length).toBeGreaterThan(1);
      expect(pieces.join('')).toBe(CONTRACT_TEXT);
    });

    it('streamTurn asks for parallel tool calls, then answers in text from their results', async () => {
      const first: AiTurnPart[] = [];
      for await (const part of fixture.provider.streamTurn(contractTurnRequest())) first.push(part);
      expect(first).toHaveLength(1);
      const [round] = first;
      if (round?.type !== 'tool_calls') throw new Error('expected tool calls');
      expect(round.calls.map((c) => [c.name, c.arguments])).toEqual(
        CONTRACT_TOOL_ITEMS.map((item) => ['lookup_rule', { item }]),
      );
      expect(new Set(round.calls.map((c) => c.id)).size).toBe(2);

      const results = round.calls.map((c) => `${String(c.arguments.item)} 규칙`);
      const followUp = contractTurnRequest([
        { role: 'assistant', content: '', toolCalls: round.calls },
        ...round.calls.map((c, i) => ({ role: 'tool' as const, toolCallId: c.id, content: results[i]! })),
      ]);
      let text = '';
      let pieces = 0;
      for await (const part of fixture.provider.streamTurn(followUp)) {
        if (part.type !== 'text') throw new Error('expected text only');
        text += part.delta;
        pieces++;
      }
      expect(pieces).toBeGreaterThan(1);
      expect(text).toBe(contractTurnAnswer(results));
    });

    it('fails with a non-retryable AiProviderError when the task cannot be answered', async () => {
      const json = fixture.provider.generateJson(contractRequest(CONTRACT_BROKEN_TASK));
      await expect(json).rejects.toBeInstanceOf(AiProviderError);
      await expect(json).rejects.toMatchObject({ retryable: false });
      const stream = collect(fixture.provider.streamText(contractTextRequest(CONTRACT_BROKEN_TASK)));
      await expect(stream).rejects.toBeInstanceOf(AiProviderError);
      await expect(stream).rejects.toMatchObject({ retryable: false });
    });

    it('an already aborted call fails with a non-retryable AiProviderError', async () => {
      const controller = new AbortController();
      controller.abort();
      const json = fixture.provider.generateJson(contractRequest(), controller.signal);
      await expect(json).rejects.toBeInstanceOf(AiProviderError);
      await expect(json).rejects.toMatchObject({ retryable: false });
    });
  });
}

import { Inject, Injectable } from '@nestjs/common';
import {
  AI_PROVIDER,
  AiProviderError,
  withProviderRetry,
  type AiProvider,
  type ProviderRetryPolicy,
} from '#platform';
import type { ClassificationResult, DisposalRuleDocument, FinalAnswer } from '../scan-result.types.js';

export const ANSWER_TASK = 'disposal-answer';
const MAX_STEPS = 10;
const STEP_KEYS = Array.from({ length: MAX_STEPS }, (_, i) => `단계${i + 1}`);

/** What the offline solver composes the answer from. */
export interface AnswerContext {
  classification: ClassificationResult;
  rules: DisposalRuleDocument;
}

/** The reference's canned answer when no rule document matched: nothing to follow, no reward. */
export function answerWithoutRules(): FinalAnswer {
  return {
    disposal_steps: {},
    insufficiencies: ['배출 규정 매칭 실패'],
    user_answer:
      '죄송해요, 이 품목에 맞는 분리배출 규정을 찾지 못했어요. 사진을 다시 찍거나 품목을 설명해 주시면 도와드릴게요.',
  };
}

/**
 * The offline provider's answer when the words and the file name named no item: it cannot look at
 * photos, so it says so and points to what works without a vision model (API.md shape unchanged).
 */
export function answerWithoutPhotoAnalysis(): FinalAnswer {
  return {
    disposal_steps: {},
    insufficiencies: ['사진 분석 불가: 오프라인 모드라 사진 속 품목을 인식하지 못했어요.'],
    user_answer:
      '지금은 오프라인 모드라서 사진을 분석하지 못했어요. 품목 이름으로 검색하거나, 채팅에서 이코에게 품목 이름을 알려 주시면 분리배출 방법을 알려 드릴게요.',
  };
}

/**
 * The answer step: rule document + classification + situation tags → numbered steps, what the user
 * still has to do, and a short friendly answer (the reference's "이코" persona).
 */
@Injectable()
export class DisposalAnswer {
  constructor(@Inject(AI_PROVIDER) private readonly provider: AiProvider) {}

  async compose(context: AnswerContext, policy: ProviderRetryPolicy): Promise<FinalAnswer> {
    return withProviderRetry(policy, async () =>
      parseAnswer(
        await this.provider.generateJson(
          {
            task: ANSWER_TASK,
            system: [
              '당신은 분리배출을 도와주는 친근한 캐릭터 "이코"입니다.',
              '주어진 배출 규정만 근거로, 사용자가 따라 할 배출 단계를 단계1부터 순서대로 적으세요(쓰지 않는 단계는 null).',
              'insufficiencies에는 사용자가 아직 하지 않은 일만 친절하게 적고, 이미 한 일(사용자 입력과 상황 태그 참고)은 적지 마세요.',
              'user_answer는 세 문장 이내로 답하세요.',
            ].join('\n'),
            prompt: [
              `<classification>${JSON.stringify(context.classification.classification)}</classification>`,
              `<situation_tags>${JSON.stringify(context.classification.situation_tags)}</situation_tags>`,
              `<user_input>${context.classification.meta.user_input}</user_input>`,
              `<disposal_rules>${JSON.stringify(context.rules)}</disposal_rules>`,
            ].join('\n'),
            context,
            schemaName: 'disposal_answer',
            schema: ANSWER_SCHEMA,
          },
          policy.signal,
        ),
      ),
    );
  }
}

const ANSWER_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: ['disposal_steps', 'insufficiencies', 'user_answer'],
  properties: {
    disposal_steps: {
      type: 'object',
      additionalProperties: false,
      required: STEP_KEYS,
      properties: Object.fromEntries(STEP_KEYS.map((key) => [key, { type: ['string', 'null'] }])),
    },
    insufficiencies: { type: 'array', items: { type: 'string' } },
    user_answer: { type: 'string' },
  },
};

function parseAnswer(value: unknown): FinalAnswer {
  const answer = value as Partial<Record<keyof FinalAnswer, unknown>> | null;
  const steps = answer?.disposal_steps;
  if (
    !steps ||
    typeof steps !== 'object' ||
    !Array.isArray(answer.insufficiencies) ||
    typeof answer.user_answer !== 'string'
  ) {
    throw new AiProviderError('answer does not match the schema', true);
  }
  // Renumbered from 단계1 so skipped (null) slots never leave gaps in what the app lists.
  const texts = Object.entries(steps as Record<string, unknown>)
    .filter(([key]) => /^단계\d+$/.test(key))
    .sort(([a], [b]) => Number(a.slice(2)) - Number(b.slice(2)))
    .map(([, text]) => (typeof text === 'string' ? text.trim() : ''))
    .filter(Boolean);
  return {
    disposal_steps: Object.fromEntries(texts.map((text, i) => [`단계${i + 1}`, text])),
    insufficiencies: answer.insufficiencies.filter(
      (s): s is string => typeof s === 'string' && s.trim() !== '',
    ),
    user_answer: answer.user_answer,
  };
}

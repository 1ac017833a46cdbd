import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AI_PROVIDER, LocalAiProvider, type AiProvider } from '#platform';
import { disposalSteps } from '#waste';
import { ANSWER_TASK, type AnswerContext } from './disposal-answer.js';
import type { FinalAnswer } from '../scan-result.types.js';

const MAX_STEPS = 10;

const TO_DO: [string[], string][] = [
  [['비닐_라벨_부착', '비닐_라벨_제거_필요', '비닐_라벨_부분_제거됨'], '비닐 라벨을 떼어 주세요.'],
  [
    ['내용물_있음', '내용물_일부_남음', '세척_필요', '음식물_오염', '오염_중간', '오염_심함', '기름기_오염'],
    '내용물을 비우고 물로 깨끗이 헹궈 주세요.',
  ],
  [['부속품_분리_필요', '뚜껑_분리_필요'], '부속품을 분리해 주세요.'],
  [
    ['스티로폼_부착물_제거_필요', '스티로폼_테이프_부착', '스티로폼_부착물_있음'],
    '테이프와 부착물을 떼어 주세요.',
  ],
];

/**
 * The embedded default's answer "model" for scans, registered on the offline provider: composes the
 * answer from the rule document and what the situation tags say is left to do. Deterministic by
 * design. (The offline classification is the waste lib's OfflineWasteClassifier.)
 */
@Injectable()
export class LocalScanSolvers implements OnModuleInit {
  constructor(@Inject(AI_PROVIDER) private readonly provider: AiProvider) {}

  onModuleInit(): void {
    if (!(this.provider instanceof LocalAiProvider)) return;
    this.provider.registerSolver(ANSWER_TASK, (request) => this.answer(request.context as AnswerContext));
  }

  private answer({ classification, rules }: AnswerContext): FinalAnswer {
    const steps = disposalSteps(rules).slice(0, MAX_STEPS);
    const tags = new Set(classification.situation_tags);
    const insufficiencies = TO_DO.filter(([triggers]) => triggers.some((t) => tags.has(t))).map(
      ([, text]) => text,
    );
    const { minor_category: minor } = classification.classification;
    return {
      disposal_steps: Object.fromEntries(steps.map((text, i) => [`단계${i + 1}`, text])),
      insufficiencies,
      user_answer: [
        `${minor} 품목은 ${rules.이름} 기준으로 분리배출하면 돼요.`,
        insufficiencies.length > 0
          ? `배출 전에 ${insufficiencies.join(' ')}`
          : '지금 상태 그대로 배출하면 완벽해요!',
      ].join(' '),
    };
  }
}

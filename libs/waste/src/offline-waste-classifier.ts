import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AI_PROVIDER, LocalAiProvider, type AiProvider } from '#platform';
import { CLASSIFY_TASK, type OfflineClassifyContext } from './waste-classifier.js';
import { WasteMatcher } from './waste-matcher.js';
import { UNCLASSIFIED } from './waste-taxonomy.js';

/** Situation tags the offline classifier reads from the user's own words. */
const TAG_CUES: [RegExp, string][] = [
  [/라벨.{0,6}(뗐|떼|뜯|제거|벗기|벗겼)|label.{0,12}(removed|off)/i, '비닐_라벨_완전_제거됨'],
  [/라벨.{0,6}(붙어|있어|그대로)|label.{0,12}(still|on)/i, '비닐_라벨_부착'],
  [/(헹궜|헹궈|헹군|씻었|씻어|세척했|비웠|rinsed|washed|empty)/i, '내용물_없음'],
  [/(남아\s*있|남았|덜\s*마신|half\s*full|still\s*has)/i, '내용물_일부_남음'],
  [/(기름|음식물이\s*묻|더러|greasy|dirty)/i, '오염_중간'],
  [/(찌그러|압착|눌렀|crushed)/i, '찌그러짐'],
  [/(깨졌|깨진|broken)/i, '깨짐'],
];

/**
 * The embedded default's "vision model", registered on the offline provider: it cannot look at the
 * photo, so it classifies from the user's words and the upload's file name through the matcher
 * (the same one the item search uses) and reads situation tags from the words. Deterministic.
 */
@Injectable()
export class OfflineWasteClassifier implements OnModuleInit {
  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly matcher: WasteMatcher,
  ) {}

  onModuleInit(): void {
    if (this.provider instanceof LocalAiProvider)
      this.provider.registerSolver(CLASSIFY_TASK, (request) =>
        this.classify(request.context as OfflineClassifyContext),
      );
  }

  /** Answers in the shape a real model returns under the classifier's schema. */
  classify({ user_input: userInput, filename }: OfflineClassifyContext): unknown {
    const text = [userInput, filename?.replace(/\.[a-z0-9]+$/i, '') ?? ''].join(' ');
    const best = this.matcher.best(text);
    return {
      classification: best
        ? {
            major_category: best.rule.majorCategory,
            middle_category: best.rule.middleCategory,
            minor_category: best.item,
          }
        : { major_category: UNCLASSIFIED, middle_category: UNCLASSIFIED, minor_category: null },
      situation_tags: best
        ? TAG_CUES.filter(([cue]) => cue.test(text)).map(([, tag]) => tag)
        : ['미분류_전체'],
      meta: { user_input: userInput },
    };
  }
}

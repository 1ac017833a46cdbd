import { Inject, Injectable } from '@nestjs/common';
import { AI_PROVIDER, type AiImage, type AiProvider, AiProviderError } from '../../platform/src/index.js';
import { withProviderRetry, type RetryPolicy } from './provider-retry.js';
import type { ClassificationResult } from './scan-result.types.js';
import { ScanTaxonomy } from './scan-taxonomy.js';

export const CLASSIFY_TASK = 'waste-classification';
export const DEFAULT_USER_INPUT = '이 폐기물을 어떻게 분리배출해야 하나요?';

/** What the offline solver classifies from (the image itself is only for real models). */
export interface ClassifyContext {
  user_input: string;
  filename: string | null;
}

interface RawClassification {
  classification: { major_category: string; middle_category: string; minor_category: string | null };
  situation_tags: string[];
  meta: { user_input: string };
}

/**
 * The vision step: photo + the user's words → a classification inside the taxonomy. An answer outside
 * it is asked again once, then becomes 미분류; malformed answers count as provider failures (retried).
 */
@Injectable()
export class WasteClassifier {
  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly taxonomy: ScanTaxonomy,
  ) {}

  async classify(
    image: AiImage,
    context: ClassifyContext,
    policy: RetryPolicy,
  ): Promise<ClassificationResult> {
    for (let round = 1; round <= 2; round++) {
      const raw = await withProviderRetry(policy, async () =>
        parseClassification(
          await this.provider.generateJson(
            {
              task: CLASSIFY_TASK,
              system: this.systemPrompt(round > 1),
              prompt: context.user_input,
              image,
              context,
              schemaName: 'waste_classification',
              schema: this.schema(),
            },
            policy.signal,
          ),
        ),
      );
      const { major_category: major, middle_category: middle, minor_category: minor } = raw.classification;
      if (this.taxonomy.accepts(major, middle)) {
        return {
          classification: {
            major_category: major,
            middle_category: middle,
            minor_category: minor?.trim() ? minor.trim() : middle,
          },
          situation_tags: this.taxonomy.knownTags(raw.situation_tags),
          meta: { user_input: context.user_input },
        };
      }
    }
    return {
      classification: this.taxonomy.unclassified(),
      situation_tags: ['미분류_전체'],
      meta: { user_input: context.user_input },
    };
  }

  private systemPrompt(retry: boolean): string {
    return [
      '당신은 한국의 분리배출 기준으로 폐기물 사진을 분류하는 전문가입니다.',
      '사진과 사용자 설명을 보고 아래 분류표의 대분류(major_category)와 중분류(middle_category)를 고르세요.',
      '재활용폐기물이 아닌 대분류는 중분류를 대분류와 같게 적습니다. 알 수 없으면 미분류를 고르세요.',
      'minor_category에는 분류표의 품목명(없으면 null)을, situation_tags에는 상황 태그 목록에서 해당하는 것만 적습니다.',
      retry ? '직전 답변이 분류표에 없는 조합이었습니다. 반드시 분류표 안에서 고르세요.' : '',
      `<분류표>\n${this.taxonomy.yamlText}\n</분류표>`,
      `<상황태그>\n${this.taxonomy.situationTagsText}\n</상황태그>`,
    ]
      .filter(Boolean)
      .join('\n');
  }

  private schema(): Record<string, unknown> {
    const middles = [...new Set(this.taxonomy.middles.map((m) => m.middle))];
    return {
      type: 'object',
      additionalProperties: false,
      required: ['classification', 'situation_tags', 'meta'],
      properties: {
        classification: {
          type: 'object',
          additionalProperties: false,
          required: ['major_category', 'middle_category', 'minor_category'],
          properties: {
            major_category: { type: 'string', enum: this.taxonomy.majors },
            middle_category: { type: 'string', enum: middles },
            minor_category: { type: ['string', 'null'] },
          },
        },
        situation_tags: { type: 'array', items: { type: 'string', enum: this.taxonomy.situationTags } },
        meta: {
          type: 'object',
          additionalProperties: false,
          required: ['user_input'],
          properties: { user_input: { type: 'string' } },
        },
      },
    };
  }
}

function parseClassification(value: unknown): RawClassification {
  const answer = value as Partial<RawClassification> | null;
  const c = answer?.classification;
  if (
    !c ||
    typeof c.major_category !== 'string' ||
    typeof c.middle_category !== 'string' ||
    (c.minor_category !== null && c.minor_category !== undefined && typeof c.minor_category !== 'string')
  ) {
    throw new AiProviderError('classification answer does not match the schema', true);
  }
  return {
    classification: {
      major_category: c.major_category.trim(),
      middle_category: c.middle_category.trim(),
      minor_category: c.minor_category ?? null,
    },
    situation_tags: Array.isArray(answer.situation_tags)
      ? answer.situation_tags.filter((t): t is string => typeof t === 'string')
      : [],
    meta: { user_input: typeof answer.meta?.user_input === 'string' ? answer.meta.user_input : '' },
  };
}

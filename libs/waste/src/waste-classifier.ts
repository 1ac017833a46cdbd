import { Inject, Injectable } from '@nestjs/common';
import {
  AI_PROVIDER,
  AiProviderError,
  withProviderRetry,
  type AiImage,
  type AiProvider,
  type ProviderRetryPolicy,
} from '#platform';
import { WasteTaxonomy, type Classification } from './waste-taxonomy.js';

/** The task name the offline provider dispatches on. */
export const CLASSIFY_TASK = 'waste-classification';
/** What a scan asks when the user typed nothing (stored as `meta.user_input`). */
export const DEFAULT_USER_INPUT = '이 폐기물을 어떻게 분리배출해야 하나요?';
/** The tag a 미분류 answer carries, as the reference stored it. */
const UNCLASSIFIED_TAG = '미분류_전체';

/** A classification as the scan result stores it (API.md `classification_result`). */
export interface ClassificationResult {
  classification: Classification;
  situation_tags: string[];
  meta: { user_input: string };
}

/** What to classify: a photo, the user's words, or both. */
export interface ClassifyInput {
  image?: AiImage;
  /** The user's own words (a question, a description, an item name). */
  text: string;
  /** The upload's original file name: offline, often the only hint about the photo. */
  filename?: string | null;
}

/** What the offline solver classifies from (it cannot look at the image). */
export interface OfflineClassifyContext {
  user_input: string;
  filename: string | null;
}

/** Retries unless the caller sets its own: what the scan pipeline uses by default (SCAN_PROVIDER_*). */
export const DEFAULT_CLASSIFY_RETRY = { attempts: 3, baseDelayMs: 500 } as const;

interface RawClassification {
  classification: { major_category: string; middle_category: string; minor_category: string | null };
  situation_tags: string[];
}

/**
 * The one classifier of waste photos and words, used by the scan's vision step and the chat
 * assistant alike, so the same photo gets the same category on both. It asks the AI provider for
 * an answer under a JSON schema built from the taxonomy; an answer outside the taxonomy is asked
 * again once, then becomes 미분류; a malformed answer counts as a provider failure and is retried
 * with backoff (`withProviderRetry`), failing with `AiStepFailed` when retries run out.
 */
@Injectable()
export class WasteClassifier {
  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly taxonomy: WasteTaxonomy,
  ) {}

  /** Whether the provider looks at the image at all (the offline one reads only words). */
  get seesImages(): boolean {
    return this.provider.name !== 'local';
  }

  async classify(
    input: ClassifyInput,
    policy: Partial<ProviderRetryPolicy> & Pick<ProviderRetryPolicy, 'signal'>,
  ): Promise<ClassificationResult> {
    const retry = { ...DEFAULT_CLASSIFY_RETRY, ...policy };
    const userInput = input.text.trim() || DEFAULT_USER_INPUT;
    const context: OfflineClassifyContext = { user_input: userInput, filename: input.filename ?? null };
    for (let round = 1; round <= 2; round++) {
      const raw = await withProviderRetry(retry, async () =>
        parseClassification(
          await this.provider.generateJson(
            {
              task: CLASSIFY_TASK,
              system: this.systemPrompt(round > 1),
              prompt: userInput,
              image: input.image,
              context,
              schemaName: 'waste_classification',
              schema: this.schema(),
            },
            retry.signal,
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
          meta: { user_input: userInput },
        };
      }
    }
    return {
      classification: this.taxonomy.unclassified(),
      situation_tags: [UNCLASSIFIED_TAG],
      meta: { user_input: userInput },
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
  };
}

import { describe, expect, it } from 'vitest';
import {
  AiProviderError,
  AiStepFailed,
  LocalAiProvider,
  type AiImage,
  type AiProvider,
  type AiTurnPart,
  type StructuredAiRequest,
} from '#platform';
import { DisposalRules } from './disposal-rules.js';
import { OfflineWasteClassifier } from './offline-waste-classifier.js';
import { WasteClassifier } from './waste-classifier.js';
import { WasteMatcher } from './waste-matcher.js';
import { WasteTaxonomy } from './waste-taxonomy.js';

const taxonomy = new WasteTaxonomy();
const photo = { bytes: Buffer.from('jpeg bytes'), mimeType: 'image/jpeg' };
const quick = { attempts: 3, baseDelayMs: 1, signal: new AbortController().signal };

/** A provider that answers from a script, one entry per call, and records what it was asked. */
class ScriptedProvider implements AiProvider {
  readonly name = 'openai' as const;
  readonly requests: StructuredAiRequest[] = [];
  constructor(private readonly answers: (unknown | Error)[]) {}
  async generateJson(request: StructuredAiRequest): Promise<unknown> {
    this.requests.push(request);
    const answer = this.answers.shift();
    if (answer instanceof Error) throw answer;
    return answer;
  }
  readonly generatesImages = false;
  // eslint-disable-next-line require-yield
  async *streamText(): AsyncIterable<string> {
    throw new Error('not used by the classifier');
  }
  // eslint-disable-next-line require-yield
  async *streamTurn(): AsyncIterable<AiTurnPart> {
    throw new Error('not used by the classifier');
  }
  async generateImage(): Promise<AiImage> {
    throw new Error('not used by the classifier');
  }
  async ping(): Promise<void> {}
}

const answer = (major: string, middle: string, minor: string | null = null, tags: string[] = []) => ({
  classification: { major_category: major, middle_category: middle, minor_category: minor },
  situation_tags: tags,
  meta: { user_input: 'ignored' },
});

describe('WasteClassifier (fake provider)', () => {
  it('returns an answer inside the taxonomy, with known tags only and the minor defaulting to the middle', async () => {
    const provider = new ScriptedProvider([
      answer('재활용폐기물', '무색페트병', null, ['비닐_라벨_완전_제거됨', '지어낸_태그']),
    ]);
    const result = await new WasteClassifier(provider, taxonomy).classify(
      { image: photo, text: '라벨 떼고 헹궜어요', filename: 'bottle.jpg' },
      quick,
    );
    expect(result).toEqual({
      classification: {
        major_category: '재활용폐기물',
        middle_category: '무색페트병',
        minor_category: '무색페트병',
      },
      situation_tags: ['비닐_라벨_완전_제거됨'],
      meta: { user_input: '라벨 떼고 헹궜어요' },
    });
    const [request] = provider.requests;
    expect(request).toMatchObject({ schemaName: 'waste_classification', image: photo });
    expect(request.system).toContain('<분류표>');
  });

  it('asks once more when the answer is outside the taxonomy, saying so', async () => {
    const provider = new ScriptedProvider([
      answer('재활용폐기물', '우주쓰레기'),
      answer('재활용폐기물', '금속류', '알루미늄캔'),
    ]);
    const result = await new WasteClassifier(provider, taxonomy).classify({ image: photo, text: '' }, quick);
    expect(result.classification).toMatchObject({ middle_category: '금속류', minor_category: '알루미늄캔' });
    expect(provider.requests).toHaveLength(2);
    expect(provider.requests[0].system).not.toContain('직전 답변이 분류표에 없는');
    expect(provider.requests[1].system).toContain('직전 답변이 분류표에 없는');
    // No text: the default question is what the model reads and what the result stores.
    expect(result.meta.user_input).toBe('이 폐기물을 어떻게 분리배출해야 하나요?');
  });

  it('settles on 미분류 when the second answer strays too', async () => {
    const provider = new ScriptedProvider([answer('재활용폐기물', '우주쓰레기'), answer('우주', '쓰레기')]);
    const result = await new WasteClassifier(provider, taxonomy).classify(
      { image: photo, text: '뭐죠' },
      quick,
    );
    expect(result).toEqual({
      classification: { major_category: '미분류', middle_category: '미분류', minor_category: '미분류' },
      situation_tags: ['미분류_전체'],
      meta: { user_input: '뭐죠' },
    });
  });

  it('retries malformed answers and retryable errors with backoff, then fails with AiStepFailed', async () => {
    const recovering = new ScriptedProvider([
      { nonsense: true },
      new AiProviderError('503', true),
      answer('재활용폐기물', '전지'),
    ]);
    const result = await new WasteClassifier(recovering, taxonomy).classify({ text: '건전지' }, quick);
    expect(result.classification.middle_category).toBe('전지');
    expect(recovering.requests).toHaveLength(3);

    const broken = new ScriptedProvider([{}, {}, {}, answer('재활용폐기물', '전지')]);
    await expect(
      new WasteClassifier(broken, taxonomy).classify({ text: '건전지' }, quick),
    ).rejects.toBeInstanceOf(AiStepFailed);
    expect(broken.requests).toHaveLength(3);
  });

  it('does not retry a permanent refusal, nor call after the caller’s bound passed', async () => {
    const refusing = new ScriptedProvider([new AiProviderError('400 bad request', false)]);
    await expect(
      new WasteClassifier(refusing, taxonomy).classify({ text: '건전지' }, quick),
    ).rejects.toBeInstanceOf(AiStepFailed);
    expect(refusing.requests).toHaveLength(1);

    const late = new ScriptedProvider([answer('재활용폐기물', '전지')]);
    await expect(
      new WasteClassifier(late, taxonomy).classify({ text: '건전지' }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AiStepFailed);
    expect(late.requests).toHaveLength(0);
  });
});

describe('WasteClassifier offline (local provider + OfflineWasteClassifier)', () => {
  const provider = new LocalAiProvider();
  const offline = new OfflineWasteClassifier(provider, new WasteMatcher(new DisposalRules(), taxonomy));
  offline.onModuleInit();
  const classifier = new WasteClassifier(provider, taxonomy);

  it('classifies from the words and the file name, with situation tags read from the words', async () => {
    const result = await classifier.classify(
      { image: photo, text: '투명 페트병이에요. 라벨 떼고 헹궜어요', filename: 'photo.jpg' },
      quick,
    );
    expect(result.classification).toMatchObject({
      major_category: '재활용폐기물',
      middle_category: '무색페트병',
    });
    expect(result.situation_tags).toEqual(['비닐_라벨_완전_제거됨', '내용물_없음']);
    const fromName = await classifier.classify(
      { image: photo, text: '', filename: 'empty soda can.jpg' },
      quick,
    );
    expect(fromName.classification.middle_category).toBe('금속류');
  });

  it('cannot see: a camera photo with no words is 미분류, and it says it does not look at images', async () => {
    const result = await classifier.classify(
      { image: photo, text: '', filename: 'image_1733000000000.png' },
      quick,
    );
    expect(result.classification).toEqual(taxonomy.unclassified());
    expect(classifier.seesImages).toBe(false);
    expect(new WasteClassifier(new ScriptedProvider([]), taxonomy).seesImages).toBe(true);
  });
});

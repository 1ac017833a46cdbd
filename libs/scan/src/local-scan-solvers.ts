import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AI_PROVIDER, LocalAiProvider, type AiProvider, type AiRequest } from '../../platform/src/index.js';
import { ANSWER_TASK, type AnswerContext } from './disposal-answer.js';
import type { FinalAnswer } from './scan-result.types.js';
import { RECYCLABLE, ScanTaxonomy, UNCLASSIFIED } from './scan-taxonomy.js';
import { CLASSIFY_TASK, type ClassifyContext } from './waste-classifier.js';

interface ItemName {
  major: string;
  middle: string;
  minor: string;
  /** Korean names match spacing-tolerant anywhere; English names match whole words. */
  korean: string | null;
  english: string | null;
}

const R = RECYCLABLE;
/**
 * Everyday names people type or name files with, beyond the taxonomy's own item names (which are
 * formal: 먹는샘물PET병). [major, middle, minor, names…]; English names are matched as whole words.
 */
const COMMON_NAMES: [string, string, string, ...string[]][] = [
  [
    R,
    '무색페트병',
    '음료PET병',
    '페트병',
    '투명페트병',
    '생수병',
    '물병',
    'pet bottle',
    'plastic bottle',
    'water bottle',
    'clear bottle',
    'soda bottle',
  ],
  [R, '플라스틱류', '기타PET용기', '유색페트병', 'colored pet bottle', 'green pet bottle'],
  [
    R,
    '플라스틱류',
    '식품용기',
    '플라스틱용기',
    '요거트용기',
    '플라스틱컵',
    'plastic container',
    'plastic cup',
    'yogurt cup',
    'plastic',
  ],
  [R, '종이', '골판지류', '박스', '상자', '택배상자', '골판지', 'cardboard', 'box', 'carton box'],
  [R, '종이', '신문지', '신문', 'newspaper', 'paper', 'magazine', 'book'],
  [R, '종이팩', '우유팩', '종이팩', 'milk carton', 'juice carton', 'carton'],
  [
    R,
    '비닐류',
    '일회용비닐봉투',
    '비닐봉지',
    '비닐봉투',
    '과자봉지',
    '비닐',
    'plastic bag',
    'vinyl',
    'wrapper',
    'plastic film',
  ],
  [R, '발포합성수지', '스티로폼식품용기', '스티로폼', 'styrofoam', 'foam tray', 'polystyrene'],
  [
    R,
    '유리병',
    '투명유리병',
    '유리병',
    '와인병',
    'glass bottle',
    'beer bottle',
    'wine bottle',
    'soju bottle',
  ],
  [
    R,
    '금속류',
    '알루미늄캔',
    '맥주캔',
    '음료캔',
    '참치캔',
    '통조림',
    'can',
    'cans',
    'aluminum can',
    'tin can',
    'soda can',
  ],
  [R, '의류및원단', '티셔츠', '헌옷', '청바지', '운동화', 'clothes', 'shirt', 't shirt', 'jeans', 'shoes'],
  [R, '전지', '알칼리망간전지', '건전지', '배터리', 'battery', 'batteries'],
  [R, '조명제품', '형광등직관형', '형광등', '전구', 'light bulb', 'fluorescent lamp', 'led bulb'],
  [R, '전기전자제품', '휴대폰', '핸드폰', '스마트폰', '노트북', 'phone', 'smartphone', 'laptop', 'computer'],
  [
    '음식물류폐기물',
    '음식물류폐기물',
    '남은음식',
    '음식물',
    '음식물쓰레기',
    '과일껍질',
    'food waste',
    'leftovers',
    'banana peel',
  ],
  ['일반종량제폐기물', '일반종량제폐기물', '사용휴지', '휴지', '영수증', 'tissue', 'receipt'],
  ['대형폐기물', '대형폐기물', '가구', '소파', '침대', 'sofa', 'furniture', 'mattress'],
  ['불연성종량제폐기물', '불연성종량제폐기물', '깨진유리', '도자기', 'ceramic', 'broken glass'],
];

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

const squeeze = (text: string): string => text.toLowerCase().replace(/\s+/g, '');
const words = (text: string): string =>
  ` ${text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

/**
 * The embedded default's "model" for scans, registered on the offline provider: classifies from the
 * user's text and the upload's file name with the taxonomy's item names (Korean, spacing-tolerant) and
 * common English names, and composes the answer from the rule document. Deterministic by design.
 */
@Injectable()
export class LocalScanSolvers implements OnModuleInit {
  private readonly names: ItemName[];

  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly taxonomy: ScanTaxonomy,
  ) {
    const fromTaxonomy = taxonomy.middles.flatMap(({ major, middle, items }) =>
      items.flatMap((item) => {
        const base = item.replace(/\s*\(.*\)\s*/g, '');
        return [...new Set([item, base])].map((name) => ({
          major,
          middle,
          minor: item,
          korean: squeeze(name),
          english: null,
        }));
      }),
    );
    const common = COMMON_NAMES.flatMap(([major, middle, minor, ...aliases]) =>
      aliases.map((alias) =>
        /[a-z]/i.test(alias) && !/[가-힣]/.test(alias)
          ? { major, middle, minor, korean: null, english: words(alias) }
          : { major, middle, minor, korean: squeeze(alias), english: null },
      ),
    );
    this.names = [...fromTaxonomy, ...common].filter((n) => (n.korean ?? n.english ?? '').trim().length > 0);
  }

  onModuleInit(): void {
    if (!(this.provider instanceof LocalAiProvider)) return;
    this.provider.registerSolver(CLASSIFY_TASK, (request) => this.classify(request));
    this.provider.registerSolver(ANSWER_TASK, (request) => this.answer(request.context as AnswerContext));
  }

  private classify(request: AiRequest): unknown {
    const context = request.context as ClassifyContext;
    const text = [context.user_input, context.filename?.replace(/\.[a-z0-9]+$/i, '') ?? ''].join(' ');
    const squeezed = squeeze(text);
    const spaced = words(text);
    const best = this.names
      .filter((n) => (n.korean ? squeezed.includes(n.korean) : spaced.includes(n.english!)))
      .sort((a, b) => (b.korean ?? b.english!).length - (a.korean ?? a.english!).length)[0];
    return {
      classification: best
        ? { major_category: best.major, middle_category: best.middle, minor_category: best.minor }
        : { major_category: UNCLASSIFIED, middle_category: UNCLASSIFIED, minor_category: null },
      situation_tags: best
        ? TAG_CUES.filter(([cue]) => cue.test(text)).map(([, tag]) => tag)
        : ['미분류_전체'],
      meta: { user_input: context.user_input },
    };
  }

  private answer({ classification, rules }: AnswerContext): FinalAnswer {
    const common = Array.isArray(rules['배출방법_공통']) ? (rules['배출방법_공통'] as unknown[]) : [];
    const detailed = Object.entries(
      (rules['배출방법_세부'] as Record<string, unknown> | undefined) ?? {},
    ).flatMap(([item, how]) => (Array.isArray(how) ? how : [how]).map((text) => `${item}: ${String(text)}`));
    const steps = [...common.map(String), ...detailed].filter((s) => s.trim() !== '').slice(0, 10);
    const tags = new Set(classification.situation_tags);
    const insufficiencies = TO_DO.filter(([triggers]) => triggers.some((t) => tags.has(t))).map(
      ([, text]) => text,
    );
    const { minor_category: minor, middle_category: middle } = classification.classification;
    const ruleName = typeof rules['이름'] === 'string' ? rules['이름'] : middle;
    return {
      disposal_steps: Object.fromEntries(steps.map((text, i) => [`단계${i + 1}`, text])),
      insufficiencies,
      user_answer: [
        `${minor} 품목은 ${ruleName} 기준으로 분리배출하면 돼요.`,
        insufficiencies.length > 0
          ? `배출 전에 ${insufficiencies.join(' ')}`
          : '지금 상태 그대로 배출하면 완벽해요!',
      ].join(' '),
    };
  }
}

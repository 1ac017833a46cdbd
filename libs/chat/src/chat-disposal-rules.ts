import { Injectable } from '@nestjs/common';
import { DisposalRules, type DisposalRule } from '../../scan/src/index.js';

/** What the assistant is told about one rule document. */
export interface RuleSummary {
  major_category: string;
  middle_category: string;
  name: string;
  steps: string[];
  not_accepted: string[];
}

/** Everyday words for the rule documents' categories, beyond the documents' own item names. */
const EVERYDAY_NAMES: Record<string, string[]> = {
  무색페트병: ['페트병', '생수병', '투명페트병', 'pet'],
  플라스틱류: ['플라스틱', '플라스틱용기', '요거트'],
  종이: ['박스', '상자', '택배상자', '종이', '신문', '책'],
  종이팩: ['우유팩', '종이팩', '멸균팩'],
  비닐류: ['비닐', '비닐봉지', '과자봉지', '뽁뽁이'],
  발포합성수지: ['스티로폼'],
  유리병: ['유리병', '소주병', '맥주병', '와인병'],
  금속류: ['캔', '맥주캔', '참치캔', '통조림', '고철', '냄비'],
  의류및원단: ['옷', '헌옷', '티셔츠', '청바지', '신발'],
  전지: ['건전지', '배터리', '보조배터리'],
  조명제품: ['형광등', '전구', 'led'],
  전기전자제품: ['휴대폰', '핸드폰', '노트북', '컴퓨터', '가전'],
  음식물류폐기물: ['음식물', '음식물쓰레기', '과일껍질', '남은음식'],
  일반종량제폐기물: ['휴지', '종량제', '일반쓰레기', '영수증'],
  대형폐기물: ['가구', '소파', '침대', '매트리스', '책상'],
  불연성종량제폐기물: ['깨진유리', '도자기', '사기그릇'],
  생활계유해폐기물: ['의약품', '약', '페인트', '폐의약품', '온도계'],
};
/** Item names too vague to name a category on their own (colours of glass, generic words). */
const VAGUE = new Set(['투명', '녹색', '갈색', '이색', '철', '기타']);
const MAX_STEPS = 6;

const squeeze = (text: string): string => text.toLowerCase().replace(/\s+/g, '');
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String).filter((s) => s.trim() !== '') : [];

/**
 * The assistant's rule tool: the scan's disposal-rule documents, summarised and looked up by category (after vision) or by the item words of a question (longest match wins, so
 * "투명 페트병" is a PET bottle rather than clear glass).
 */
@Injectable()
export class ChatDisposalRules {
  private readonly summaries = new Map<string, RuleSummary>();
  private readonly keywords: { word: string; key: string }[] = [];

  constructor(rules: DisposalRules) {
    for (const rule of rules.list()) {
      const { document } = rule;
      const key = this.keyOf(rule.majorCategory, rule.middleCategory);
      this.summaries.set(key, summarise(rule));
      const items = Object.entries(
        (document['세부_품목'] as Record<string, unknown> | undefined) ?? {},
      ).flatMap(([group, names]) => [group, ...strings(names)]);
      const words = [
        rule.middleCategory,
        String(document['이름'] ?? ''),
        ...items,
        ...(EVERYDAY_NAMES[rule.middleCategory] ?? []),
      ]
        .map((word) => squeeze(word.replace(/\(.*?\)/g, '')))
        .filter((word) => word.length >= 2 || /^[a-z]+$/.test(word))
        .filter((word) => !VAGUE.has(word));
      for (const word of new Set(words)) this.keywords.push({ word, key });
    }
    this.keywords.sort((a, b) => b.word.length - a.word.length);
  }

  find(major: string, middle: string): RuleSummary | null {
    return this.summaries.get(this.keyOf(major, middle)) ?? null;
  }

  /** The rule document the words of a question point at, or null. */
  match(text: string): RuleSummary | null {
    const squeezed = squeeze(text);
    const hit = this.keywords.find(({ word }) => squeezed.includes(word));
    return hit ? (this.summaries.get(hit.key) ?? null) : null;
  }

  private keyOf(major: string, middle: string): string {
    return `${major}\u0000${middle}`;
  }
}

function summarise({ majorCategory, middleCategory, document }: DisposalRule): RuleSummary {
  const detailed = Object.entries(
    (document['배출방법_세부'] as Record<string, unknown> | undefined) ?? {},
  ).flatMap(([item, how]) => (Array.isArray(how) ? how : [how]).map((text) => `${item}: ${String(text)}`));
  const refused = Object.entries(
    (document['배출불가_품목_안내'] as Record<string, unknown> | undefined) ?? {},
  ).map(([item, where]) => `${item} → ${String(where)}`);
  return {
    major_category: majorCategory,
    middle_category: middleCategory,
    name: String(document['이름'] ?? middleCategory),
    steps: [...strings(document['배출방법_공통']), ...detailed].slice(0, MAX_STEPS),
    not_accepted: refused.slice(0, 3),
  };
}

import type { NewsCategory } from '../news-article.entity.js';

/** The app's category tabs, in display order ("all" is the unfiltered feed). */
export const NEWS_CATEGORY_TABS = [
  { id: 'all', name: '전체' },
  { id: 'environment', name: '환경' },
  { id: 'energy', name: '에너지' },
  { id: 'ai', name: 'AI' },
] as const;

/**
 * Keywords per category, Korean and English. Korean words match as substrings (particles attach
 * without spaces: "재활용은"); English words match at word starts, and short acronyms as whole
 * words, so "ai" does not fire inside "said" or "aim".
 */
const CATEGORY_KEYWORDS: Record<NewsCategory, readonly string[]> = {
  environment: [
    '환경',
    '기후',
    '탄소',
    '온실가스',
    '재활용',
    '분리수거',
    '분리배출',
    '플라스틱',
    '쓰레기',
    '폐기물',
    '미세먼지',
    '오염',
    '생태',
    '친환경',
    '제로웨이스트',
    '멸종',
    '해양',
    '탄소중립',
    'ESG',
    'environment',
    'climate',
    'carbon',
    'emission',
    'recycl',
    'plastic',
    'waste',
    'pollution',
    'biodiversity',
    'sustainab',
    'wildlife',
    'deforestation',
    'net zero',
    'greenhouse',
  ],
  energy: [
    '에너지',
    '전력',
    '전기요금',
    '태양광',
    '풍력',
    '원전',
    '원자력',
    '수소',
    '배터리',
    '이차전지',
    '전기차',
    '발전소',
    '신재생',
    '재생에너지',
    '석유',
    '가스',
    '송전',
    'energy',
    'solar',
    'wind power',
    'wind farm',
    'nuclear',
    'hydrogen',
    'battery',
    'batteries',
    'electricity',
    'renewable',
    'power grid',
    'oil price',
    'lng',
    'electric vehicle',
  ],
  ai: [
    '인공지능',
    'AI',
    '생성형',
    '머신러닝',
    '딥러닝',
    '챗GPT',
    '챗봇',
    '거대언어모델',
    '자율주행',
    '로봇',
    'artificial intelligence',
    'machine learning',
    'deep learning',
    'chatgpt',
    'openai',
    'llm',
    'neural network',
    'generative',
    'chatbot',
    'robot',
  ],
};

const MATCHERS = Object.entries(CATEGORY_KEYWORDS).map(([category, keywords]) => ({
  category: category as NewsCategory,
  keywords: keywords.map((keyword) => ({ keyword, pattern: keywordPattern(keyword) })),
}));

function keywordPattern(keyword: string): RegExp {
  const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!/^[\x20-\x7e]+$/.test(keyword)) return new RegExp(escaped);
  // Short acronyms ("AI", "LLM") must be whole words; longer stems may continue ("recycl" → "recycling").
  return new RegExp(keyword.length < 5 ? `\\b${escaped}\\b` : `\\b${escaped}`, 'i');
}

export interface CategoryVerdict {
  category: NewsCategory;
  /** The keywords that decided it (stored as the article's keywords when the feed gives none). */
  matched: string[];
}

/**
 * The category whose keywords occur most, title hits counting double (a headline names its topic;
 * a snippet mentions neighbours). No hit falls back to `fallback`, for a Naver query already asked
 * per category, otherwise environment, the feed's main subject.
 */
export function classifyNewsCategory(
  title: string,
  snippet: string,
  fallback: NewsCategory = 'environment',
): CategoryVerdict {
  let best: CategoryVerdict = { category: fallback, matched: [] };
  let bestScore = 0;
  for (const { category, keywords } of MATCHERS) {
    let score = 0;
    const matched: string[] = [];
    for (const { keyword, pattern } of keywords) {
      const inTitle = pattern.test(title);
      const inSnippet = pattern.test(snippet);
      if (inTitle || inSnippet) matched.push(keyword);
      score += (inTitle ? 2 : 0) + (inSnippet ? 1 : 0);
    }
    if (score > bestScore) {
      best = { category, matched };
      bestScore = score;
    }
  }
  return best;
}

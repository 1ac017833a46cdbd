import type { RuleSummary } from './chat-disposal-rules.js';

export interface ToolResult {
  tool: string;
  data: Record<string, unknown>;
}

/** What each tool looks up, for "… could not be looked up" sentences. */
const LOOKED_UP: Record<string, string> = {
  vision: '사진 분석',
  waste_rag: '분리배출 규칙',
  character: '캐릭터 정보',
  location: '주변 장소',
  collection_point: '수거함 위치',
  bulk_waste: '대형폐기물 정보',
  weather: '날씨 정보',
  web_search: '웹 검색',
  image_generation: '이미지 생성',
  general: '환경 뉴스',
};

interface PlaceFact {
  name: string;
  distance: string;
  address: string | null;
  open_now: boolean | null;
  hours: string | null;
}

/**
 * The offline assistant's answer, composed from the tool results in a fixed order: the item's rule,
 * bulky-waste fees, places, weather, characters, news, search results; then what could not be looked up.
 */
export function composeAnswer(results: readonly ToolResult[]): string {
  const sections: string[][] = [];
  const failed: string[] = [];
  const order = Object.keys(LOOKED_UP);
  const sorted = [...results].sort((a, b) => order.indexOf(a.tool) - order.indexOf(b.tool));
  for (const { tool, data } of sorted) {
    if (data.error) {
      failed.push(LOOKED_UP[tool] ?? tool);
      continue;
    }
    const section = SECTIONS[tool]?.(data);
    if (section && section.length > 0) sections.push(section);
  }
  if (failed.length > 0) {
    const lookups = [...new Set(failed)].join(', ');
    sections.push([
      `${withParticle(lookups, '은', '는')} 지금 확인하지 못했어요. 잠시 후 다시 물어봐 주세요 🙏`,
    ]);
  }
  if (sections.length === 0) {
    return [
      '안녕하세요, 분리배출 도우미 이코예요! 🌱',
      '버리려는 물건 이름이나 사진을 보내 주시면 분리배출 방법을 알려 드릴게요.',
    ].join('\n');
  }
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

const SECTIONS: Record<string, (data: Record<string, unknown>) => string[]> = {
  vision: (data) =>
    data.rule
      ? ruleLines(data.rule as RuleSummary)
      : ['사진 속 물건을 알아보지 못했어요. 물건 이름을 알려 주세요.'],
  waste_rag: (data) => (data.rule ? ruleLines(data.rule as RuleSummary) : []),
  location: placeLines,
  collection_point: placeLines,
  character: (data) => {
    const character = data.character as { name: string; type: string; dialog: string } | null;
    const owned = (data.owned as string[] | undefined) ?? [];
    if (character) {
      return [
        `${withParticle(character.name, '은', '는')} ${character.type} 담당 친구예요 😊`,
        `${character.name}의 한마디: "${character.dialog}"`,
        owned.includes(character.name) ? `이미 ${character.name}를 모으셨어요!` : '',
      ].filter(Boolean);
    }
    return [
      `이코의 친구들은 ${((data.catalog as string[] | undefined) ?? []).join(', ')}예요.`,
      `지금까지 ${owned.length}명을 모았어요: ${owned.join(', ')}. 올바르게 분리배출하면 친구를 더 모을 수 있어요!`,
    ];
  },
  bulk_waste: (data) => {
    const lines = [
      '대형폐기물은 이렇게 배출해요 🛋️',
      ...((data.procedure as string[] | undefined) ?? []).map((s, i) => `${i + 1}. ${s}`),
    ];
    const fees =
      (data.fees as { name: string; spec: string | null; fee: string; region: string }[] | undefined) ?? [];
    if (fees.length > 0) {
      lines.push(
        '',
        '수수료(지자체 기준):',
        ...fees.map((f) => `- ${f.region} ${f.name}${f.spec ? ` (${f.spec})` : ''}: ${f.fee}`),
      );
    }
    return lines;
  },
  weather: (data) => {
    if (data.needs_location) return ['위치 공유를 켜 주시면 그 동네의 날씨 예보도 알려 드릴게요 🌦️'];
    const periods =
      (data.forecast as
        | { at: string; sky: string; rain: string; rain_chance: number; temperature: number | null }[]
        | undefined) ?? [];
    if (periods.length === 0) return [];
    const rainy = periods.filter((p) => p.rain !== '없음');
    return [
      `날씨 예보 🌦️ ${periods
        .slice(0, 4)
        .map(
          (p) =>
            `${p.at} ${p.sky}${p.temperature !== null ? ` ${p.temperature}℃` : ''} (강수확률 ${p.rain_chance}%)`,
        )
        .join(', ')}`,
      rainy.length > 0
        ? `비나 눈 소식(${rainy[0]!.at})이 있어요. 종이류는 젖으면 재활용이 어려우니 비가 그친 뒤 내놓거나 덮어서 배출하세요.`
        : '비 소식은 없어요.',
    ];
  },
  general: (data) => {
    const articles = (data.articles as { title: string; source_name: string }[] | undefined) ?? [];
    return articles.length > 0
      ? ['최근 환경 소식이에요 📰', ...articles.map((a) => `- ${a.title} (${a.source_name})`)]
      : ['아직 모인 환경 뉴스가 없어요.'];
  },
  web_search: (data) => {
    const items = (data.results as { title: string; link: string }[] | undefined) ?? [];
    return items.length > 0
      ? ['검색해 보니 이런 내용이 있어요 🔎', ...items.map((r) => `- ${r.title} (${r.link})`)]
      : [];
  },
  image_generation: (data) => (data.image_url ? ['요청하신 그림을 만들었어요 🎨'] : []),
};

function ruleLines(rule: RuleSummary): string[] {
  const lines = [`${withParticle(rule.name, '은', '는')} 이렇게 분리배출하면 돼요 ♻️`, ''];
  lines.push(...rule.steps.map((step, i) => `${i + 1}. ${step}`));
  if (rule.not_accepted.length > 0) {
    lines.push('', '이런 건 따로 배출해요:', ...rule.not_accepted.map((note) => `- ${note}`));
  }
  lines.push('', '깨끗하게 비우고 헹궈서 배출하면 재활용이 훨씬 잘 돼요!');
  return lines;
}

function placeLines(data: Record<string, unknown>): string[] {
  if (data.needs_location) return ['위치 공유를 켜 주시면 가까운 수거 장소를 찾아 드릴게요 📍'];
  const places = (data.places as PlaceFact[] | undefined) ?? [];
  if (places.length === 0)
    return [`${String(data.within_km)}km 안에서는 찾지 못했어요. 앱의 지도 탭에서 더 넓게 찾아보세요 🗺️`];
  return [
    '가까운 곳부터 알려 드릴게요 📍',
    ...places.map(
      (p, i) =>
        `${i + 1}. ${p.name} (${p.distance})${p.address ? ` — ${p.address}` : ''}${
          p.hours ? `, 운영 ${p.hours}` : ''
        }${p.open_now === true ? ' · 지금 운영 중' : p.open_now === false ? ' · 지금은 닫혀 있어요' : ''}`,
    ),
  ];
}

/** The particle that fits the word's last syllable (받침 or not), e.g. 페티는, 전지는, 종이팩은. */
export function withParticle(word: string, afterConsonant: string, afterVowel: string): string {
  const last =
    word
      .replace(/\(.*?\)$/, '')
      .trim()
      .at(-1) ?? '';
  const code = last.charCodeAt(0) - 0xac00;
  const hasFinalConsonant = code >= 0 && code < 11172 && code % 28 !== 0;
  return `${word}${hasFinalConsonant ? afterConsonant : afterVowel}`;
}

import type { AiToolCall } from '#platform';
import type { ChatToolName } from '../tools/chat-tool.js';

/**
 * The offline assistant's intent rules: which tools a question calls for, from its words. A real
 * model chooses the tools itself; offline, these cues choose the same tool calls, so the embedded
 * default still runs the tools, their stages and their data.
 */
const CUES: readonly [ChatToolName, RegExp][] = [
  ['weather', /(날씨|비\s*(가|와|오|온|내|올)|눈\s*(이|와|오|온|올)|기온|우산|weather|rain)/i],
  ['bulk_waste', /(대형\s*폐기물|가구|소파|침대|매트리스|장롱|냉장고|세탁기|식탁|수수료|스티커)/],
  ['character', /(캐릭터|컬렉션|수집|도감|character)/i],
  ['general', /(뉴스|소식|기사|news)/i],
  ['web_search', /(검색|인터넷|찾아\s*봐|search)/i],
  ['image_generation', /(그려|그림|이미지\s*(를|좀)?\s*(만들|생성)|draw)/i],
];
const PLACE_CUES =
  /(근처|주변|가까운|어디서\s*(버|팔|수거)|어디에\s*(버|내)|수거함|재활용\s*센터|위치|nearby|near me)/i;
const WASTE_CUES = /(버리|버려|버릴|분리\s*배출|분리수거|배출|재활용|쓰레기|폐기|내놔|recycl|dispose|trash)/i;
const COLLECTION_KINDS: readonly [string, RegExp][] = [
  ['battery', /(건전지|배터리|폐전지)/],
  ['lamp', /(형광등|전구)/],
  ['clothing', /(헌\s*옷|의류|옷)/],
  ['electronics', /(전자\s*제품|소형\s*가전|폐가전|휴대폰|핸드폰)/],
];
const LOCATION_KINDS: readonly [string, RegExp][] = [
  ['zero_waste', /(제로\s*웨이스트|리필)/],
  ['buyback', /(팔|유가\s*보상|보상|돈)/],
];

export interface PlanClues {
  question: string;
  hasImage: boolean;
  /** The question names an item a rule document covers. */
  mentionsItem: boolean;
  /** The question names one of the characters other than 이코. */
  mentionsCharacter: boolean;
  /** Tools offered in this turn: nothing else is planned. */
  offered: ReadonlySet<string>;
}

const kindOf = (question: string, kinds: readonly [string, RegExp][]): string | undefined =>
  kinds.find(([, cue]) => cue.test(question))?.[0];

export function planToolCalls(clues: PlanClues): AiToolCall[] {
  const { question } = clues;
  const calls: { name: ChatToolName; arguments: Record<string, unknown> }[] = [];
  if (clues.hasImage) calls.push({ name: 'vision', arguments: {} });
  if (PLACE_CUES.test(question)) {
    const collected = kindOf(question, COLLECTION_KINDS);
    if (collected) calls.push({ name: 'collection_point', arguments: { kind: collected } });
    else calls.push({ name: 'location', arguments: { kind: kindOf(question, LOCATION_KINDS) ?? 'any' } });
  }
  for (const [name, cue] of CUES) {
    if (cue.test(question) || (name === 'character' && clues.mentionsCharacter)) {
      const args =
        name === 'web_search'
          ? { query: question }
          : name === 'image_generation'
            ? { prompt: question }
            : name === 'bulk_waste'
              ? { item: question }
              : {};
      calls.push({ name, arguments: args });
    }
  }
  const aboutWaste = clues.mentionsItem || WASTE_CUES.test(question);
  // A photo, a bulky item or a character question already has its own tool for the item.
  const itemCovered = calls.some((c) => ['bulk_waste', 'character', 'vision'].includes(c.name));
  if (aboutWaste && !itemCovered) {
    calls.push({ name: 'waste_rag', arguments: { item: question } });
  }
  return calls
    .filter((call) => clues.offered.has(call.name))
    .map((call, index) => ({ id: `local_${index}`, ...call }));
}

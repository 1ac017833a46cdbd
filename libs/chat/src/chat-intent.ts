export const CHAT_INTENTS = ['waste', 'character', 'location', 'general'] as const;
export type ChatIntent = (typeof CHAT_INTENTS)[number];

const LOCATION_CUES =
  /(근처|주변|가까운|어디서\s*(버|팔|수거)|수거함\s*(위치|어디)|재활용\s*센터|위치|nearby|near me)/i;
const CHARACTER_CUES = /(캐릭터|컬렉션|수집|도감|character)/i;
const WASTE_CUES = /(버리|버려|버릴|분리\s*배출|분리수거|배출|재활용|쓰레기|폐기|recycl|dispose|trash)/i;

export interface IntentClues {
  /** A rule document matched the question's item words. */
  mentionsItem: boolean;
  /** The question names one of the characters other than the assistant 이코 itself. */
  mentionsCharacter: boolean;
}

/**
 * Keyword rules for the primary intent. Places win (the question is about where), then characters,
 * then disposal; anything else is general conversation.
 */
export function detectIntent(question: string, clues: IntentClues): ChatIntent {
  if (LOCATION_CUES.test(question)) return 'location';
  if (CHARACTER_CUES.test(question) || clues.mentionsCharacter) return 'character';
  if (clues.mentionsItem || WASTE_CUES.test(question)) return 'waste';
  return 'general';
}

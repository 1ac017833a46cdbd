import type { RuleSummary } from './chat-disposal-rules.js';
import type { ChatIntent } from './chat-intent.js';

export const ANSWER_TASK = 'chat-answer';

export interface CharacterFact {
  name: string;
  type: string;
  dialog: string;
}

/** Everything the answer step knows; the offline solver composes from it, real models read it as text. */
export interface ChatAnswerContext {
  intent: ChatIntent;
  question: string;
  rules: RuleSummary | null;
  character: CharacterFact | null;
  character_names: string[];
  /** The app sent the user's position; no place search is wired in yet, so the answer points to the map. */
  has_location: boolean;
}

export const ASSISTANT_PERSONA = [
  '당신은 분리배출 도우미 "이코"입니다. 친근한 말투로 3~5문장, 이모지는 가볍게, 마크다운을 써도 됩니다.',
  '분리배출 질문에는 참고 규칙을 먼저 따르고, 규칙에 없는 내용은 추측하지 마세요.',
  '구성: 핵심 답변 → 배출 단계 → 팁.',
].join('\n');

/** The context as text, for providers that only read the prompt. */
export function referenceText(context: ChatAnswerContext): string {
  const parts: string[] = [`질문 의도: ${context.intent}`];
  if (context.rules) {
    parts.push(
      `[분리배출 규칙: ${context.rules.name}]`,
      ...context.rules.steps.map((step, i) => `${i + 1}. ${step}`),
      ...context.rules.not_accepted.map((note) => `- 배출 불가: ${note}`),
    );
  }
  if (context.character) {
    parts.push(
      `[캐릭터: ${context.character.name}] 담당: ${context.character.type}. 대사: ${context.character.dialog}`,
    );
  }
  if (context.intent === 'character') parts.push(`[전체 캐릭터] ${context.character_names.join(', ')}`);
  if (context.intent === 'location') parts.push('[장소] 주변 장소 검색은 앱의 지도 탭에서 안내하세요.');
  return parts.join('\n');
}

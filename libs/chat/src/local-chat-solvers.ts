import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { AI_PROVIDER, LocalAiProvider, type AiProvider } from '../../platform/src/index.js';
import { ANSWER_TASK, type ChatAnswerContext } from './chat-answer-context.js';

/**
 * The embedded default's assistant, registered on the offline provider: a friendly Korean answer
 * composed from the turn's context (rule steps, a character, or a general reply). Deterministic by
 * design. (Offline vision is the waste lib's OfflineWasteClassifier, shared with the scan.)
 */
@Injectable()
export class LocalChatSolvers implements OnModuleInit {
  constructor(@Inject(AI_PROVIDER) private readonly provider: AiProvider) {}

  onModuleInit(): void {
    if (!(this.provider instanceof LocalAiProvider)) return;
    this.provider.registerSolver(ANSWER_TASK, (request) =>
      composeAnswer(request.context as ChatAnswerContext),
    );
  }
}

export function composeAnswer(context: ChatAnswerContext): string {
  const lines: string[] = [];
  if (context.rules) {
    lines.push(`${withParticle(context.rules.name, '은', '는')} 이렇게 분리배출하면 돼요 ♻️`, '');
    lines.push(...context.rules.steps.map((step, i) => `${i + 1}. ${step}`));
    if (context.rules.not_accepted.length > 0) {
      lines.push('', '이런 건 따로 배출해요:', ...context.rules.not_accepted.map((note) => `- ${note}`));
    }
  }
  if (context.character) {
    if (lines.length > 0) lines.push('');
    lines.push(
      `${withParticle(context.character.name, '은', '는')} ${context.character.type} 담당 친구예요 😊`,
      `${context.character.name}의 한마디: "${context.character.dialog}"`,
    );
  } else if (context.intent === 'character') {
    lines.push(
      `이코의 친구들은 ${context.character_names.join(', ')}예요. 올바르게 분리배출하면 친구를 모을 수 있어요!`,
    );
  }
  if (context.intent === 'location') {
    if (lines.length > 0) lines.push('');
    lines.push('가까운 재활용 센터와 수거함은 앱의 지도 탭에서 찾아볼 수 있어요 🗺️');
  }
  if (lines.length === 0) {
    lines.push(
      '안녕하세요, 분리배출 도우미 이코예요! 🌱',
      '버리려는 물건 이름이나 사진을 보내 주시면 분리배출 방법을 알려 드릴게요.',
    );
  } else if (context.rules && !context.character) {
    lines.push('', '깨끗하게 비우고 헹궈서 배출하면 재활용이 훨씬 잘 돼요!');
  }
  return lines.join('\n');
}

/** The particle that fits the word's last syllable (받침 or not), e.g. 페티는, 전지는, 종이팩은. */
function withParticle(word: string, afterConsonant: string, afterVowel: string): string {
  const last =
    word
      .replace(/\(.*?\)$/, '')
      .trim()
      .at(-1) ?? '';
  const code = last.charCodeAt(0) - 0xac00;
  const hasFinalConsonant = code >= 0 && code < 11172 && code % 28 !== 0;
  return `${word}${hasFinalConsonant ? afterConsonant : afterVowel}`;
}

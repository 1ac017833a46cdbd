export const ANSWER_TASK = 'chat-answer';
export const SUMMARY_TASK = 'chat-summary';

/** What the offline assistant reads besides the messages (real models read the messages only). */
export interface AssistantTurnContext {
  question: string;
  has_location: boolean;
  has_image: boolean;
}

export const ASSISTANT_PERSONA = [
  '당신은 분리배출 도우미 "이코"입니다. 친근한 말투로 3~5문장, 이모지는 가볍게, 마크다운을 써도 됩니다.',
  '도구를 써서 사실을 확인한 뒤 답하세요. 분리배출 질문에는 waste_rag 결과를 먼저 따르고, 도구 결과에 없는 내용은 추측하지 마세요.',
  '장소를 안내할 때는 도구가 준 장소 이름과 거리를 가까운 순서대로 그대로 쓰세요.',
  '도구 결과에 error가 있으면 그 정보는 지금 확인하지 못했다고 솔직하게 말하세요.',
  '구성: 핵심 답변 → 배출 단계 → 팁.',
].join('\n');

import { Injectable } from '@nestjs/common';
import { ChatDisposalRules } from '../worker/chat-disposal-rules.js';
import {
  objectSchema,
  stringArg,
  type ChatTool,
  type ChatToolContext,
  type ChatToolOutcome,
} from './chat-tool.js';

/** `waste_rag`: the disposal rule of an item, from the rule documents (always on, offline too). */
@Injectable()
export class WasteRulesTool implements ChatTool {
  readonly name = 'waste_rag' as const;
  readonly description =
    '한국 분리배출 규칙 문서에서 품목의 배출 방법을 찾습니다. 품목 이름(예: 페트병, 종이 박스, 건전지)을 넘기세요.';
  readonly parameters = objectSchema({ item: { type: 'string', description: '버리려는 물건 이름' } }, [
    'item',
  ]);
  readonly runningMessage = '분리배출 규칙을 찾고 있어요.';

  constructor(private readonly rules: ChatDisposalRules) {}

  available(): boolean {
    return true;
  }

  async run(args: Record<string, unknown>, context: ChatToolContext): Promise<ChatToolOutcome> {
    const item = stringArg(args, 'item') ?? context.question;
    const rule = this.rules.match(item) ?? this.rules.match(context.question);
    if (!rule) return { result: { found: false, item }, summary: '맞는 규칙을 찾지 못했어요.' };
    return { result: { found: true, item, rule }, summary: rule.name };
  }
}

import { Injectable } from '@nestjs/common';
import { ImageUploads } from '#storage';
import { WasteClassifier } from '#waste';
import { ChatDisposalRules } from '../worker/chat-disposal-rules.js';
import { objectSchema, type ChatTool, type ChatToolContext, type ChatToolOutcome } from './chat-tool.js';

/**
 * `vision`: what the attached photo shows, through the same classifier as the scan (taxonomy check,
 * retries), with its rule. Offered only with a photo.
 */
@Injectable()
export class VisionTool implements ChatTool {
  readonly name = 'vision' as const;
  readonly description =
    '사용자가 첨부한 사진 속 물건을 분리배출 분류(대분류/중분류)로 판별하고 그 규칙을 돌려줍니다. 사진이 있을 때만 쓰세요.';
  readonly parameters = objectSchema({});
  readonly runningMessage = '사진을 살펴보고 있어요.';

  constructor(
    private readonly images: ImageUploads,
    private readonly classifier: WasteClassifier,
    private readonly rules: ChatDisposalRules,
  ) {}

  available(context: ChatToolContext): boolean {
    return context.imageKey !== null;
  }

  async run(
    _args: Record<string, unknown>,
    context: ChatToolContext,
    signal: AbortSignal,
  ): Promise<ChatToolOutcome> {
    // The bytes come from our own store by the key resolved at submit: never a URL the user typed.
    const image = await this.images.loadVerifiedImage(context.imageKey!);
    const { classification } = await this.classifier.classify(
      {
        image: { bytes: image.bytes, mimeType: image.mimeType },
        text: context.question,
        filename: image.filename,
      },
      { signal },
    );
    const rule = this.rules.find(classification.major_category, classification.middle_category);
    if (!rule) return { result: { recognised: false }, summary: '사진 속 물건을 알아보지 못했어요.' };
    return { result: { recognised: true, rule }, summary: rule.name };
  }
}

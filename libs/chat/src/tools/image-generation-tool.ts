import { Inject, Injectable } from '@nestjs/common';
import { AI_PROVIDER, type AiProvider } from '#platform';
import { ImageUploads } from '#storage';
import {
  objectSchema,
  stringArg,
  type ChatTool,
  type ChatToolContext,
  type ChatToolOutcome,
} from './chat-tool.js';

const IMAGE_SIZE = '1024x1024';

/**
 * `image_generation`: a picture from the provider's image model (OpenAI images; offered only when the
 * provider has one), stored through the storage lib as the user's image; its URL becomes the
 * assistant message's `image_url`, which the app shows under the answer.
 */
@Injectable()
export class ImageGenerationTool implements ChatTool {
  readonly name = 'image_generation' as const;
  readonly description =
    '사용자가 그림이나 이미지를 만들어 달라고 할 때 그림을 생성합니다. prompt에 그릴 장면을 구체적으로 적으세요. 만든 그림은 답변과 함께 보여집니다.';
  readonly parameters = objectSchema({ prompt: { type: 'string', description: '그릴 장면 설명' } }, [
    'prompt',
  ]);
  readonly runningMessage = '그림을 그리고 있어요.';

  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly images: ImageUploads,
  ) {}

  available(): boolean {
    return this.provider.generatesImages;
  }

  async run(
    args: Record<string, unknown>,
    context: ChatToolContext,
    signal: AbortSignal,
  ): Promise<ChatToolOutcome> {
    const prompt = stringArg(args, 'prompt', 1000) ?? context.question;
    const image = await this.provider.generateImage({ prompt, size: IMAGE_SIZE }, signal);
    const imageUrl = await this.images.storeGeneratedImage({
      userId: context.userId,
      channel: 'chat',
      bytes: image.bytes,
    });
    return { result: { image_url: imageUrl }, summary: '그림을 만들었어요.', imageUrl };
  }
}

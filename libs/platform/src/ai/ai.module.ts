import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AI_PROVIDER, type AiProvider } from './ai-provider.js';
import { LocalAiProvider } from './local-ai-provider.js';

export async function createAiProvider(config: AppConfig): Promise<AiProvider> {
  const apiKey = config.optionalString('OPENAI_API_KEY');
  if (!apiKey) return new LocalAiProvider();
  // Loaded only when configured: pods that never call the AI do not load the client.
  const { OpenAiProvider } = await import('./openai-provider.js');
  return new OpenAiProvider({
    apiKey,
    baseURL: config.optionalString('OPENAI_BASE_URL'),
    model: config.string('OPENAI_MODEL'),
    imageModel: config.string('OPENAI_IMAGE_MODEL'),
    timeoutMs: config.int('AI_TIMEOUT_MS'),
    maxRetries: config.int('AI_MAX_RETRIES'),
  });
}

@Global()
@Module({
  providers: [
    {
      provide: AI_PROVIDER,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createAiProvider(config),
    },
  ],
  exports: [AI_PROVIDER],
})
export class AiModule {}

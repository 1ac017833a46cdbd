import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import { AiProviderError, type AiProvider, type AiRequest, type StructuredAiRequest } from './ai-provider.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
}

function messages(request: AiRequest): ChatCompletionMessageParam[] {
  const content: ChatCompletionContentPart[] = [{ type: 'text', text: request.prompt }];
  if (request.image) {
    const url = `data:${request.image.mimeType};base64,${request.image.bytes.toString('base64')}`;
    content.push({ type: 'image_url', image_url: { url } });
  }
  return [
    { role: 'system', content: request.system },
    { role: 'user', content },
  ];
}

function translate(error: unknown): AiProviderError {
  if (error instanceof AiProviderError) return error;
  // The abort and connection errors are APIErrors without a status: sort them out first.
  if (error instanceof APIUserAbortError) return new AiProviderError('AI call aborted', false);
  if (error instanceof APIConnectionTimeoutError) return new AiProviderError('AI provider timed out', true);
  if (error instanceof APIConnectionError)
    return new AiProviderError(`could not reach the AI provider: ${error.message}`, true);
  if (error instanceof APIError) {
    const status = error.status ?? 0;
    return new AiProviderError(
      `AI provider answered ${status || 'without a status'}: ${error.message}`,
      status === 0 || status === 408 || status === 429 || status >= 500,
    );
  }
  if (error instanceof Error && error.name === 'AbortError')
    return new AiProviderError('AI call aborted', false);
  return new AiProviderError(error instanceof Error ? error.message : String(error), true);
}

/**
 * OpenAI (or any compatible server via OPENAI_BASE_URL) through the official client, which applies the
 * timeout and retries 408/429/5xx with exponential backoff itself.
 */
export class OpenAiProvider implements AiProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAiProviderOptions) {
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async generateJson(request: StructuredAiRequest, signal?: AbortSignal): Promise<unknown> {
    try {
      const completion = await this.client.chat.completions.create(
        {
          model: request.model ?? this.options.model,
          messages: messages(request),
          response_format: {
            type: 'json_schema',
            json_schema: { name: request.schemaName, schema: request.schema, strict: true },
          },
        },
        { signal },
      );
      const choice = completion.choices[0];
      if (choice?.message.refusal)
        throw new AiProviderError(`AI provider refused: ${choice.message.refusal}`, false);
      const text = choice?.message.content;
      if (!text) throw new AiProviderError('AI provider returned no content', true);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new AiProviderError('AI provider returned malformed JSON', true);
      }
    } catch (error) {
      throw translate(error);
    }
  }

  async *streamText(request: AiRequest, signal?: AbortSignal): AsyncIterable<string> {
    try {
      const stream = await this.client.chat.completions.create(
        { model: request.model ?? this.options.model, messages: messages(request), stream: true },
        { signal },
      );
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta?.content;
        if (delta) yield delta;
      }
    } catch (error) {
      throw translate(error);
    }
  }

  async ping(): Promise<void> {
    // Readiness must not spend tokens or fail on a provider hiccup: the key's presence is the check.
    if (!this.options.apiKey) throw new Error('no API key');
  }
}

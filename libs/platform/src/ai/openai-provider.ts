import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import {
  AiProviderError,
  type AiChatMessage,
  type AiImage,
  type AiImageRequest,
  type AiProvider,
  type AiRequest,
  type AiToolCall,
  type AiToolTurnRequest,
  type AiTurnPart,
  type StructuredAiRequest,
} from './ai-provider.js';

export interface OpenAiProviderOptions {
  apiKey: string;
  baseURL?: string;
  model: string;
  /** Model of generateImage (OpenAI images API). */
  imageModel: string;
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

function wireMessage(message: AiChatMessage): ChatCompletionMessageParam {
  if (message.role === 'tool') {
    return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      content: message.content || null,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

/** The model's arguments text as an object; anything else becomes {} (the tool validates what it reads). */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const parsed = JSON.parse(text || '{}') as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
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

  async *streamTurn(request: AiToolTurnRequest, signal?: AbortSignal): AsyncIterable<AiTurnPart> {
    const tools: ChatCompletionTool[] = request.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    }));
    // Tool-call deltas arrive in pieces keyed by index: the id and name first, the arguments in chunks.
    const pending = new Map<number, { id: string; name: string; arguments: string }>();
    try {
      const stream = await this.client.chat.completions.create(
        {
          model: request.model ?? this.options.model,
          messages: request.messages.map(wireMessage),
          stream: true,
          ...(tools.length > 0 ? { tools, parallel_tool_calls: true } : {}),
        },
        { signal },
      );
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta;
        if (delta?.content) yield { type: 'text', delta: delta.content };
        for (const part of delta?.tool_calls ?? []) {
          const call = pending.get(part.index) ?? { id: '', name: '', arguments: '' };
          call.id = part.id ?? call.id;
          call.name = part.function?.name ?? call.name;
          call.arguments += part.function?.arguments ?? '';
          pending.set(part.index, call);
        }
      }
    } catch (error) {
      throw translate(error);
    }
    const calls: AiToolCall[] = [...pending.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({
        id: call.id || `call_${index}`,
        name: call.name,
        arguments: parseArguments(call.arguments),
      }));
    if (calls.length > 0) yield { type: 'tool_calls', calls };
  }

  readonly generatesImages = true;

  async generateImage(request: AiImageRequest, signal?: AbortSignal): Promise<AiImage> {
    try {
      const answer = await this.client.images.generate(
        {
          model: this.options.imageModel,
          prompt: request.prompt,
          n: 1,
          size: (request.size ?? '1024x1024') as '1024x1024',
          // gpt-image models always answer base64 and refuse the parameter; DALL·E needs it asked.
          ...(this.options.imageModel.startsWith('dall-e') ? { response_format: 'b64_json' as const } : {}),
        },
        { signal },
      );
      const encoded = answer.data?.[0]?.b64_json;
      if (!encoded) throw new AiProviderError('AI provider returned no image', true);
      return { bytes: Buffer.from(encoded, 'base64'), mimeType: 'image/png' };
    } catch (error) {
      throw translate(error);
    }
  }

  async ping(): Promise<void> {
    // Readiness must not spend tokens or fail on a provider hiccup: the key's presence is the check.
    if (!this.options.apiKey) throw new Error('no API key');
  }
}

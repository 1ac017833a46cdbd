export interface AiImage {
  bytes: Buffer;
  mimeType: string;
}

export interface AiRequest {
  /** Names the job, e.g. `waste-classification`; the offline provider dispatches on it. */
  task: string;
  system: string;
  prompt: string;
  image?: AiImage;
  /** Structured input the offline provider's solver works from (the OpenAI provider only sends the text). */
  context?: unknown;
  model?: string;
}

export interface StructuredAiRequest extends AiRequest {
  schemaName: string;
  /** JSON Schema of the expected answer (OpenAI structured outputs, strict mode). */
  schema: Record<string, unknown>;
}

export class AiProviderError extends Error {
  constructor(
    message: string,
    /** Whether the same call may succeed when tried again (timeouts, 429, 5xx). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * AI provider port: structured answers and streamed text. Callers validate what comes back; the
 * provider only guarantees well-formed JSON or an AiProviderError.
 */
export interface AiProvider {
  readonly name: 'local' | 'openai';
  generateJson(request: StructuredAiRequest, signal?: AbortSignal): Promise<unknown>;
  streamText(request: AiRequest, signal?: AbortSignal): AsyncIterable<string>;
  ping(): Promise<void>;
}

export const AI_PROVIDER = Symbol('AiProvider');

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

/** A function the model may call (chat completions `tools`); `parameters` is its JSON Schema. */
export interface AiToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One call the model asked for; `arguments` is the parsed JSON object ({} when it was not valid JSON). */
export interface AiToolCall {
  id: string;
  name: string;
  arguments: Record<string, unknown>;
}

export type AiChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: AiToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** One model round of a tool-using conversation; with no tools the model can only answer in text. */
export interface AiToolTurnRequest {
  task: string;
  messages: AiChatMessage[];
  tools: AiToolDefinition[];
  /** Structured input the offline provider's solver works from. */
  context?: unknown;
  model?: string;
}

/** What a round streams: answer text as it comes, or (once, at the end) the tool calls it asked for. */
export type AiTurnPart = { type: 'text'; delta: string } | { type: 'tool_calls'; calls: AiToolCall[] };

export interface AiImageRequest {
  prompt: string;
  /** e.g. `1024x1024` */
  size?: string;
}

/**
 * AI provider port: structured answers, streamed text, tool-calling rounds and (where the adapter
 * has a model for it) image generation. Callers validate what comes back; the
 * provider only guarantees well-formed JSON or an AiProviderError.
 */
export interface AiProvider {
  readonly name: 'local' | 'openai';
  generateJson(request: StructuredAiRequest, signal?: AbortSignal): Promise<unknown>;
  streamText(request: AiRequest, signal?: AbortSignal): AsyncIterable<string>;
  streamTurn(request: AiToolTurnRequest, signal?: AbortSignal): AsyncIterable<AiTurnPart>;
  /** Whether generateImage can succeed: the offline provider has no image model. */
  readonly generatesImages: boolean;
  generateImage(request: AiImageRequest, signal?: AbortSignal): Promise<AiImage>;
  ping(): Promise<void>;
}

export const AI_PROVIDER = Symbol('AiProvider');

import type { AiToolDefinition } from '#platform';
import type { ChatStage } from '../chat-events.js';
import type { UserLocation } from '../chat-job.entity.js';

/** The tools the assistant may call; each name is also the stage the app shows while it runs. */
export type ChatToolName = Extract<
  ChatStage,
  | 'vision'
  | 'waste_rag'
  | 'character'
  | 'location'
  | 'collection_point'
  | 'bulk_waste'
  | 'weather'
  | 'web_search'
  | 'image_generation'
  | 'general'
>;

/** What a tool knows about the turn besides the model's arguments. */
export interface ChatToolContext {
  jobId: string;
  userId: string;
  question: string;
  userLocation: UserLocation | null;
  /** Blob key of the photo attached to the question. */
  imageKey: string | null;
}

export interface ChatToolOutcome {
  /** Sent back to the model as compact JSON. */
  result: unknown;
  /** The stage's `message` when the tool finished (short Korean). */
  summary: string;
  /** A picture the tool made, shown as the assistant message's `image_url`. */
  imageUrl?: string;
}

/**
 * One tool of the assistant. `available` decides whether it is offered to the model in this turn:
 * outside services only when their key is set, vision only with a photo.
 */
export interface ChatTool {
  readonly name: ChatToolName;
  readonly description: string;
  readonly parameters: Record<string, unknown>;
  /** The stage's `message` while it runs (short Korean). */
  readonly runningMessage: string;
  available(context: ChatToolContext): boolean;
  run(args: Record<string, unknown>, context: ChatToolContext, signal: AbortSignal): Promise<ChatToolOutcome>;
}

export function toolDefinition(tool: ChatTool): AiToolDefinition {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}

/** A JSON Schema object with these string/number properties, all optional unless listed. */
export function objectSchema(
  properties: Record<string, Record<string, unknown>>,
  required: string[] = [],
): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, properties, required };
}

/** The model's argument as a trimmed, bounded string, or undefined. */
export function stringArg(args: Record<string, unknown>, name: string, maxLength = 200): string | undefined {
  const value = args[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, maxLength) : undefined;
}

/** Every tool class of the assistant, in the order they are offered. */
export const CHAT_TOOLS = Symbol('ChatTools');

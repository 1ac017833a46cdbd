import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig, type AiToolCall } from '#platform';
import { ChatEvents } from '../chat-events.js';
import { CHAT_TOOLS, type ChatTool, type ChatToolContext, type ChatToolName } from './chat-tool.js';

/** Bound of one tool result sent back to the model: answers stay cheap and the context bounded. */
export const MAX_TOOL_RESULT_CHARS = 4000;

export interface ToolCallOutcome {
  call: AiToolCall;
  tool: ChatToolName | null;
  /** Compact JSON for the model. */
  content: string;
  ok: boolean;
  imageUrl?: string;
}

class ToolTimeout extends Error {}

/**
 * Runs one round of tool calls in parallel. Each call shows its stage (started → completed, or failed)
 * with a short Korean message, is bounded by the tool timeout and the turn's signal, and never
 * throws: a failing or hanging tool becomes a result saying it could not be looked up, so the
 * answer can say so and the turn still completes.
 */
@Injectable()
export class RunChatTools {
  private readonly logger = new Logger(RunChatTools.name);
  private readonly timeoutMs: number;

  constructor(
    @Inject(CHAT_TOOLS) private readonly tools: readonly ChatTool[],
    private readonly events: ChatEvents,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.timeoutMs = config.int('CHAT_TOOL_TIMEOUT_MS');
  }

  /** The tools this turn offers to the model. */
  offered(context: ChatToolContext): ChatTool[] {
    return this.tools.filter((tool) => tool.available(context));
  }

  run(calls: AiToolCall[], context: ChatToolContext, turn: AbortSignal): Promise<ToolCallOutcome[]> {
    const offered = new Map(this.offered(context).map((tool) => [tool.name, tool]));
    return Promise.all(
      calls.map((call) => this.runOne(call, offered.get(call.name as ChatToolName), context, turn)),
    );
  }

  private async runOne(
    call: AiToolCall,
    tool: ChatTool | undefined,
    context: ChatToolContext,
    turn: AbortSignal,
  ): Promise<ToolCallOutcome> {
    if (!tool) {
      return { call, tool: null, ok: false, content: compact({ error: 'unknown_tool', tool: call.name }) };
    }
    await this.events.stage(context.jobId, tool.name, 'started', tool.runningMessage);
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const signal = AbortSignal.any([deadline, turn]);
    try {
      // Raced as well as signalled: a tool that ignores its signal still cannot hold the turn.
      const outcome = await Promise.race([
        tool.run(call.arguments, context, signal),
        new Promise<never>((_, reject) => {
          const fail = (): void => reject(new ToolTimeout(`timed out after ${this.timeoutMs} ms`));
          if (signal.aborted) fail();
          signal.addEventListener('abort', fail, { once: true });
        }),
      ]);
      await this.events.stage(context.jobId, tool.name, 'completed', outcome.summary);
      return {
        call,
        tool: tool.name,
        ok: true,
        content: compact(outcome.result),
        imageUrl: outcome.imageUrl,
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn({ jobId: context.jobId, tool: tool.name, err: reason }, 'chat tool failed');
      await this.events.stage(context.jobId, tool.name, 'failed', '정보를 확인하지 못했어요.');
      return {
        call,
        tool: tool.name,
        ok: false,
        content: compact({ error: 'could_not_look_up', tool: tool.name, reason: reason.slice(0, 200) }),
      };
    }
  }
}

/** JSON without whitespace, cut to the bound (a cut result says so instead of breaking the JSON). */
export function compact(value: unknown): string {
  const text = JSON.stringify(value ?? null);
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return JSON.stringify({ truncated: true, partial: text.slice(0, MAX_TOOL_RESULT_CHARS - 60) });
}

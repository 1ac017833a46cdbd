import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import {
  AI_PROVIDER,
  LocalAiProvider,
  type AiProvider,
  type AiToolTurnRequest,
  type LocalTurn,
} from '#platform';
import { CharacterCatalog } from '#character';
import { ANSWER_TASK, SUMMARY_TASK, type AssistantTurnContext } from './chat-answer-context.js';
import { ChatDisposalRules } from './chat-disposal-rules.js';
import { summariseExtractively, type SummaryRequestContext } from './chat-memory.js';
import { composeAnswer, type ToolResult } from './compose-offline-answer.js';
import { planToolCalls } from './offline-tool-plan.js';

/**
 * The embedded default's assistant, registered on the offline provider. It runs the same loop as a
 * real model: first round, keyword intents become tool calls; once the results are in, the answer is
 * composed from them. Also an extractive summary for the memory. Deterministic by design. (Offline
 * vision is the waste lib's OfflineWasteClassifier, shared with the scan.)
 */
@Injectable()
export class OfflineAssistant implements OnModuleInit {
  private characterNames: string[] = [];

  constructor(
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    private readonly rules: ChatDisposalRules,
    private readonly characters: CharacterCatalog,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!(this.provider instanceof LocalAiProvider)) return;
    this.characterNames = (await this.characters.list()).map((c) => c.name).filter((n) => n !== '이코');
    this.provider.registerTurnSolver(ANSWER_TASK, (request) => this.turn(request));
    this.provider.registerSolver(SUMMARY_TASK, (request) =>
      summariseExtractively(request.context as SummaryRequestContext),
    );
  }

  private turn(request: AiToolTurnRequest): LocalTurn {
    const context = request.context as AssistantTurnContext;
    const results = toolResultsOf(request);
    if (results.length > 0 || request.tools.length === 0) return { text: composeAnswer(results) };
    const toolCalls = planToolCalls({
      question: context.question,
      hasImage: context.has_image,
      mentionsItem: this.rules.match(context.question) !== null,
      mentionsCharacter: this.characterNames.some((name) => context.question.includes(name)),
      offered: new Set(request.tools.map((tool) => tool.name)),
    });
    return toolCalls.length > 0 ? { toolCalls } : { text: composeAnswer([]) };
  }
}

/** The results sent back so far, each with the name of the tool that made it. */
function toolResultsOf(request: AiToolTurnRequest): ToolResult[] {
  const names = new Map<string, string>();
  for (const message of request.messages) {
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) names.set(call.id, call.name);
  }
  return request.messages.flatMap((message) => {
    if (message.role !== 'tool') return [];
    try {
      return [
        {
          tool: names.get(message.toolCallId) ?? '',
          data: JSON.parse(message.content) as Record<string, unknown>,
        },
      ];
    } catch {
      return [];
    }
  });
}

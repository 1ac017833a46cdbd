import {
  AiProviderError,
  type AiImage,
  type AiProvider,
  type AiRequest,
  type AiToolCall,
  type AiToolTurnRequest,
  type AiTurnPart,
  type StructuredAiRequest,
} from './ai-provider.js';

export type LocalSolver = (request: AiRequest) => unknown;

/** A tool-using round answered offline: the calls to make, or the answer text. */
export type LocalTurn = { toolCalls: AiToolCall[] } | { text: string };
export type LocalTurnSolver = (request: AiToolTurnRequest) => LocalTurn;

/**
 * Offline provider of the embedded default. It holds no model: domains register a deterministic solver
 * per task (built from their own data, e.g. the taxonomy and rule documents), so the whole product
 * works without an API key and every answer is marked `provider: "local"`.
 */
export class LocalAiProvider implements AiProvider {
  readonly name = 'local' as const;
  readonly generatesImages = false;
  private readonly solvers = new Map<string, LocalSolver>();
  private readonly turnSolvers = new Map<string, LocalTurnSolver>();

  registerSolver(task: string, solver: LocalSolver): void {
    this.solvers.set(task, solver);
  }

  registerTurnSolver(task: string, solver: LocalTurnSolver): void {
    this.turnSolvers.set(task, solver);
  }

  async generateJson(request: StructuredAiRequest, signal?: AbortSignal): Promise<unknown> {
    return this.solve(this.solvers, request, signal);
  }

  async *streamText(request: AiRequest, signal?: AbortSignal): AsyncIterable<string> {
    const answer = this.solve(this.solvers, request, signal);
    yield* words(typeof answer === 'string' ? answer : JSON.stringify(answer));
  }

  async *streamTurn(request: AiToolTurnRequest, signal?: AbortSignal): AsyncIterable<AiTurnPart> {
    const turn = this.solve(this.turnSolvers, request, signal);
    if ('toolCalls' in turn && turn.toolCalls.length > 0 && request.tools.length > 0) {
      yield { type: 'tool_calls', calls: turn.toolCalls };
      return;
    }
    for (const delta of words('text' in turn ? turn.text : '')) yield { type: 'text', delta };
  }

  async generateImage(): Promise<AiImage> {
    throw new AiProviderError('the offline provider has no image model', false);
  }

  async ping(): Promise<void> {}

  /** Same failure contract as the OpenAI provider: an answer, or an AiProviderError. */
  private solve<R extends { task: string }, A>(
    solvers: Map<string, (request: R) => A>,
    request: R,
    signal?: AbortSignal,
  ): A {
    if (signal?.aborted) throw new AiProviderError('AI call aborted', false);
    const solver = solvers.get(request.task);
    if (!solver)
      throw new AiProviderError(`the offline provider has no solver for task ${request.task}`, false);
    try {
      return solver(request);
    } catch (error) {
      if (error instanceof AiProviderError) throw error;
      throw new AiProviderError(
        `the offline solver for ${request.task} failed: ${error instanceof Error ? error.message : String(error)}`,
        false,
      );
    }
  }
}

/** Text in word-sized pieces, as a streaming model would send it. */
function words(text: string): string[] {
  return text.match(/\S+\s*/g) ?? [];
}

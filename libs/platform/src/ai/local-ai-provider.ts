import { AiProviderError, type AiProvider, type AiRequest, type StructuredAiRequest } from './ai-provider.js';

export type LocalSolver = (request: AiRequest) => unknown;

/**
 * Offline provider of the embedded default. It holds no model: domains register a deterministic solver
 * per task (built from their own data, e.g. the taxonomy and rule documents), so the whole product
 * works without an API key and every answer is marked `provider: "local"`.
 */
export class LocalAiProvider implements AiProvider {
  readonly name = 'local' as const;
  private readonly solvers = new Map<string, LocalSolver>();

  registerSolver(task: string, solver: LocalSolver): void {
    this.solvers.set(task, solver);
  }

  async generateJson(request: StructuredAiRequest, signal?: AbortSignal): Promise<unknown> {
    return this.solve(request, signal);
  }

  async *streamText(request: AiRequest, signal?: AbortSignal): AsyncIterable<string> {
    const answer = this.solve(request, signal);
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    for (const piece of text.match(/\S+\s*/g) ?? []) yield piece;
  }

  async ping(): Promise<void> {}

  /** Same failure contract as the OpenAI provider: an answer, or an AiProviderError. */
  private solve(request: AiRequest, signal?: AbortSignal): unknown {
    if (signal?.aborted) throw new AiProviderError('AI call aborted', false);
    const solver = this.solvers.get(request.task);
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

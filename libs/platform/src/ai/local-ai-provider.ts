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

  async generateJson(request: StructuredAiRequest): Promise<unknown> {
    return this.solve(request);
  }

  async *streamText(request: AiRequest): AsyncIterable<string> {
    const answer = this.solve(request);
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
    for (const piece of text.match(/\S+\s*/g) ?? []) yield piece;
  }

  async ping(): Promise<void> {}

  private solve(request: AiRequest): unknown {
    const solver = this.solvers.get(request.task);
    if (!solver)
      throw new AiProviderError(`the offline provider has no solver for task ${request.task}`, false);
    return solver(request);
  }
}

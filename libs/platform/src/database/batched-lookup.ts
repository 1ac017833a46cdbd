/**
 * Lookups of one row by id, gathered for `windowMs` (or until `maxBatch` ids) into one `loadMany`
 * query (`WHERE id IN (…)`). For many independent callers that each want one row now and then, such as
 * every open event stream asking its job's record after a quiet spell: thousands of streams would
 * otherwise be thousands of queries a few seconds apart, each holding a pooled connection. Callers
 * asking for the same id in one batch share the answer; a failed query rejects the whole batch.
 */
export class BatchedLookup<T> {
  private waiting = new Map<string, { resolve(row: T | null): void; reject(error: unknown): void }[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** The rows of those ids that exist, in any order. */
    private readonly loadMany: (ids: string[]) => Promise<T[]>,
    private readonly idOf: (row: T) => string,
    private readonly batching: { windowMs: number; maxBatch: number },
  ) {}

  find(id: string): Promise<T | null> {
    return new Promise((resolve, reject) => {
      const callers = this.waiting.get(id);
      if (callers) callers.push({ resolve, reject });
      else this.waiting.set(id, [{ resolve, reject }]);
      if (this.waiting.size >= this.batching.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.batching.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = new Map();
    this.loadMany([...batch.keys()]).then(
      (rows) => {
        const byId = new Map(rows.map((row) => [this.idOf(row), row]));
        for (const [id, callers] of batch) for (const caller of callers) caller.resolve(byId.get(id) ?? null);
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const caller of callers) caller.reject(error);
      },
    );
  }
}

import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Raised when the process starts shutting down, before connections close. Long-lived work (SSE
 * streams, schedulers, relays) listens to it so the HTTP server can drain instead of waiting on them.
 */
@Injectable()
export class ShutdownSignal {
  private readonly controller = new AbortController();
  /**
   * What each open connection asked to run on raise. A set, not listeners on `signal`: an AbortSignal
   * keeps its listeners in a list that every add and remove walks, so with thousands of open streams
   * each connect and disconnect would cost a walk over all the others.
   */
  private readonly handlers = new Set<() => void>();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get raised(): boolean {
    return this.controller.signal.aborted;
  }

  /**
   * Runs `handler` once when the process starts shutting down (at once if it already has); the
   * returned function forgets it. For the many short-lived subscribers (one per open connection).
   */
  onRaise(handler: () => void): () => void {
    if (this.raised) {
      handler();
      return () => undefined;
    }
    this.handlers.add(handler);
    return () => void this.handlers.delete(handler);
  }

  raise(): void {
    if (this.raised) return;
    this.controller.abort();
    const handlers = [...this.handlers];
    this.handlers.clear();
    for (const handler of handlers) handler();
  }
}

@Global()
@Module({ providers: [ShutdownSignal], exports: [ShutdownSignal] })
export class ShutdownModule {}

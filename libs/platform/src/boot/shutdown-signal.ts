import { Global, Injectable, Module } from '@nestjs/common';

/**
 * Raised when the process starts shutting down, before connections close. Long-lived work (SSE
 * streams, schedulers, relays) listens to it so the HTTP server can drain instead of waiting on them.
 */
@Injectable()
export class ShutdownSignal {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get raised(): boolean {
    return this.controller.signal.aborted;
  }

  raise(): void {
    this.controller.abort();
  }
}

@Global()
@Module({ providers: [ShutdownSignal], exports: [ShutdownSignal] })
export class ShutdownModule {}

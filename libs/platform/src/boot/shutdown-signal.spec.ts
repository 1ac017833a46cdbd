import { describe, expect, it, vi } from 'vitest';
import { ShutdownSignal } from './shutdown-signal.js';

describe('ShutdownSignal', () => {
  it('runs each handler once on raise, after the signal aborted, and not those forgotten', () => {
    const shutdown = new ShutdownSignal();
    const seen: boolean[] = [];
    shutdown.onRaise(() => seen.push(shutdown.signal.aborted));
    const forgotten = vi.fn();
    shutdown.onRaise(forgotten)();

    shutdown.raise();
    shutdown.raise();

    expect(seen).toEqual([true]);
    expect(forgotten).not.toHaveBeenCalled();
  });

  it('runs a handler given after the raise at once', () => {
    const shutdown = new ShutdownSignal();
    shutdown.raise();
    const handler = vi.fn();

    shutdown.onRaise(handler)();

    expect(handler).toHaveBeenCalledOnce();
  });
});

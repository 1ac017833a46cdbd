import { Injectable } from '@nestjs/common';

export interface DependencyProbe {
  /** Name shown in the readiness report, e.g. `database`, `redis`. */
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  ping(): Promise<void>;
}

/**
 * Adapters register a probe when they are constructed, so readiness checks exactly the dependencies
 * the booted domains opened and nothing else.
 */
@Injectable()
export class DependencyProbes {
  private readonly probes = new Map<string, DependencyProbe>();

  register(probe: DependencyProbe): void {
    this.probes.set(probe.name, probe);
  }

  list(): DependencyProbe[] {
    return [...this.probes.values()];
  }
}

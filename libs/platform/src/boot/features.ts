import type { Type } from '@nestjs/common';
import type { EnvVarSpec } from '../config/env-schema.js';

/**
 * Infrastructure a feature opens; only what the booted features need is ever connected (or, for
 * `websocket`, loaded: the WebSocket adapter and `ws`).
 */
export type InfrastructureNeed = 'database' | 'messaging' | 'blob' | 'ai' | 'websocket';

/** An API domain or a worker role, as the boot sees it: loaded lazily so unbooted code costs nothing. */
export interface FeatureDescriptor {
  name: string;
  kind: 'domain' | 'worker';
  needs: readonly InfrastructureNeed[];
  env?: readonly EnvVarSpec[];
  load: () => Promise<Type>;
}

import { SystemClock } from '../clock/clock.js';
import { InMemoryKeyValueStore } from './in-memory-key-value-store.js';
import { describeKeyValueStoreContract } from './kv.contract.js';

// The Redis adapter runs the same contract in redis-key-value-store.e2e-spec.ts.
describeKeyValueStoreContract('in-memory', async () => {
  // One process: the peer is the store itself.
  const store = new InMemoryKeyValueStore(new SystemClock());
  return { store, peer: store };
});

import { responseCacheContract } from '../../../../test/contracts/response-cache-contract.js';
import { MemoryResponseCache } from './memory-response-cache.js';

responseCacheContract('in-process LRU', async () => ({ cache: new MemoryResponseCache(1_000), close: async () => {} }));

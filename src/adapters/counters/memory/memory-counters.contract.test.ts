import { countersContract } from '../../../../test/contracts/counters-contract.js';
import { MemoryCounters } from './memory-counters.js';

countersContract('in-process', async () => ({ counters: new MemoryCounters(), close: async () => {} }));

import { jobEventBusContract } from '../../../../test/contracts/job-event-bus-contract.js';
import { MemoryEventBus } from './memory-event-bus.js';

// Each in-process bus is its own world: the cross-node case needs a bus that spans processes.
jobEventBusContract('in-process', async () => ({
  node: async () => new MemoryEventBus(),
  shared: false,
  settled: async () => {},
  close: async () => {},
}));

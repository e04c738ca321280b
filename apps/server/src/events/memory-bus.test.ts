import { busContract } from './bus.contract.js';
import { MemoryEventBus } from './memory-bus.js';

busContract('memory', (storage, { bufferSize }) => MemoryEventBus.create(storage, bufferSize), { multiNode: false });

import { describeStoreContract } from './contract.js';
import { describeServerOverStore } from './server-over-store.js';
import { memoryHarness } from './support/harnesses.js';

describeStoreContract(memoryHarness());
describeServerOverStore(memoryHarness());

/**
 * Id generation. The reference uses 8 hex characters, which collide after a
 * few tens of thousands of items; we use 24 (96 random bits).
 */
import { randomBytes } from 'node:crypto';

export type StoreItemType =
  | 'thread'
  | 'message'
  | 'tool_call'
  | 'task'
  | 'workflow'
  | 'attachment'
  | 'sdk_hidden_context';

export const ID_PREFIXES: Record<StoreItemType, string> = {
  thread: 'thr',
  message: 'msg',
  tool_call: 'tc',
  workflow: 'wf',
  task: 'tsk',
  attachment: 'atc',
  sdk_hidden_context: 'shcx',
};

// Random bytes are drawn in batches: one syscall per 512 ids instead of one each.
const POOL_SIZE = 12 * 512;
let pool = Buffer.alloc(0);
let offset = POOL_SIZE;

function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(POOL_SIZE);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return hex;
}

export function defaultGenerateId(type: StoreItemType): string {
  return `${ID_PREFIXES[type]}_${randomHex(12)}`;
}

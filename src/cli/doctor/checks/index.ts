/** Every check, in report order: configuration first, then the wire, then code. */
import { authCheck } from './auth.js';
import { chatkitScriptCheck } from './chatkit-script.js';
import { codePatternsCheck } from './code-patterns.js';
import { corsCheck } from './cors.js';
import { frontendConfigCheck } from './frontend-config.js';
import { keysCheck } from './keys.js';
import { protocolCheck } from './protocol.js';
import { scaleOutCheck } from './scale-out.js';
import { secretsCheck } from './secrets.js';
import { streamingCheck } from './streaming.js';
import type { Check } from '../types.js';

export const CHECKS: readonly Check[] = [
  keysCheck,
  frontendConfigCheck,
  chatkitScriptCheck,
  secretsCheck,
  scaleOutCheck,
  corsCheck,
  streamingCheck,
  protocolCheck,
  authCheck,
  codePatternsCheck,
];

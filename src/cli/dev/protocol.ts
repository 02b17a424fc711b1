/** Messages between `dev` (the supervisor) and the child process that runs the app. */

export interface ChildConfig {
  root: string;
  port: number;
  host: string;
  verbose: boolean;
  recordDir?: string;
}

/** Sent by the supervisor to a warm standby child: start the app now. */
export interface GoMessage {
  type: 'go';
  /** Print the full banner (first start only). */
  firstStart: boolean;
}

export const CHILD_CONFIG_VARIABLE = 'CHATKIT_DEV_CHILD_CONFIG';

export type ChildMessage =
  | { type: 'warm' }
  | { type: 'ready'; url: string; chatkitPath: string }
  | { type: 'failed'; message: string; phase: 'load' | 'listen' };

/** Messages between `dev` (the supervisor) and the child process that runs the app. */

export interface ChildConfig {
  root: string;
  port: number;
  host: string;
  verbose: boolean;
  recordDir?: string;
}

/** Sent by the supervisor to a built child once the port is free. */
export interface ListenMessage {
  type: 'listen';
}

/** Sent by the supervisor to a warm standby child: load and build the app now. */
export interface GoMessage {
  type: 'go';
  /** The first version of this dev session (no restart yet). */
  firstStart: boolean;
  /** Print the banner: on the first start, and after an .env change (the configuration it shows changed). */
  banner: boolean;
}

export const CHILD_CONFIG_VARIABLE = 'CHATKIT_DEV_CHILD_CONFIG';

export type ChildMessage =
  | { type: 'warm' }
  /** The new code is loaded and built; it listens when told to (after the old process is gone). */
  | { type: 'built' }
  | { type: 'ready'; url: string; chatkitPath: string }
  | { type: 'failed'; message: string; phase: 'load' | 'listen' };

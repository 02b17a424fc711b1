/**
 * The programmatic replay API, for generated projects' tests:
 *
 *   import { replayCassettes } from 'create-chatkit-backend/…';   // see docs/dev-replay.md
 *   const { exitCode, report } = await replayCassettes(['cassettes'], { cwd: projectRoot });
 *   expect(exitCode, report).toBe(0);
 */
import { readCassette } from '../cassette/reader.js';
import { buildCassette, writeCassette } from '../cassette/writer.js';
import { CassetteError } from '../cassette/errors.js';
import type { ReplayTiming } from '../cassette/replaying-fetch.js';
import { importBuildApp } from '../project/load-app.js';
import { loadProjectEnv } from '../project/env.js';
import { locateProjectRoot } from '../project/root.js';
import { collectCassettes } from './collect.js';
import { detectPackageManager } from '../create/package-manager.js';
import { exitCodeOf, formatReport, toJsonReport, type CassetteOutcome } from './report.js';
import { replaySession } from './replay-session.js';
import { replayEnv, secretOptionsFor } from './replay-env.js';
import { ownPackageJson } from '../shared/own-package.js';

export { formatReport, toJsonReport, exitCodeOf, type CassetteOutcome } from './report.js';
export { type SessionResult } from './replay-session.js';
export { RERECORD_HINT } from '../cassette/format.js';

export interface ReplayOptions {
  /** Project directory or a directory inside it (default: process.cwd()); relative cassette paths resolve against the project root. */
  cwd?: string;
  /** Re-record the expected events from the current code (model traffic stays as recorded). */
  update?: boolean;
  /** `fast` (default) or `recorded` (model chunks with their original pacing). */
  timing?: ReplayTiming;
  /** Environment overriding the shell's (merged over `.env` like the shell). */
  env?: NodeJS.ProcessEnv;
}

export interface ReplaySummary {
  /** 0 all identical, 1 some differ, 2 a cassette is missing or invalid. */
  exitCode: number;
  outcomes: CassetteOutcome[];
  /** The human-readable report (what the CLI prints). */
  report: string;
  json: unknown;
}

export async function replayCassettes(paths: readonly string[], options: ReplayOptions = {}): Promise<ReplaySummary> {
  const root = locateProjectRoot(options.cwd);
  const project = loadProjectEnv(root, options.env ?? process.env);
  const env = replayEnv(project.env);
  const secretOptions = secretOptionsFor(project.env);
  const collected = await collectCassettes(paths.length > 0 ? paths : ['cassettes'], root);

  const outcomes: CassetteOutcome[] = [];
  for (const entry of collected) {
    if (entry.error) {
      outcomes.push({ file: entry.file, status: 'invalid', error: entry.error, unreadablePath: true });
      continue;
    }
    try {
      const cassette = await readCassette(entry.file, secretOptions);
      // A fresh import per cassette: module state (an in-memory task list, a counter) starts
      // over, so no cassette sees what another one did and --update writes this cassette's own events.
      const buildApp = await importBuildApp(root);
      // The recorded model settings win: the cassette's model traffic only fits that provider.
      const sessionEnv = { ...env, ...cassette.header.env };
      const result = await replaySession(cassette, { buildApp, env: sessionEnv, timing: options.timing, update: options.update });
      if (options.update && result.updatedLines) {
        const updated = buildCassette(result.updatedLines, {
          ...secretOptions,
          cliVersion: ownPackageJson().version,
          note: `updated by replay --update; model traffic recorded ${cassette.header.recordedAt}`,
          ...(cassette.header.env ? { env: cassette.header.env } : {}),
        });
        await writeCassette(entry.file, updated, secretOptions);
        outcomes.push({ file: entry.file, status: 'updated', result });
      } else {
        // An --update that was refused leaves the cassette as it was: still different.
        outcomes.push({ file: entry.file, status: result.equal ? 'equal' : 'different', result });
      }
    } catch (error) {
      if (!(error instanceof CassetteError)) throw error;
      outcomes.push({ file: entry.file, status: 'invalid', error: error.message });
    }
  }
  return { exitCode: exitCodeOf(outcomes), outcomes, report: formatReport(outcomes, root, detectPackageManager(process.env)), json: toJsonReport(outcomes) };
}

/** Human and JSON output of a replay run. Pure. */
import { relative } from 'node:path';
import { formatDifference } from '../cassette/diff.js';
import { RERECORD_HINT } from '../cassette/format.js';
import type { PackageManager } from '../create/choices.js';
import { runScript, scriptArgsSeparator } from '../create/package-manager.js';
import type { SessionResult } from './replay-session.js';

export type CassetteOutcome =
  | { file: string; status: 'equal' | 'different' | 'updated'; result: SessionResult }
  | { file: string; status: 'invalid'; error: string; /** The argument was not a readable cassette path (missing, or a directory without cassettes). */ unreadablePath?: boolean };

export function exitCodeOf(outcomes: readonly CassetteOutcome[]): number {
  if (outcomes.some((o) => o.status === 'invalid')) return 2;
  if (outcomes.some((o) => o.status === 'different')) return 1;
  return 0;
}

export function formatReport(outcomes: readonly CassetteOutcome[], cwd: string, packageManager: PackageManager = 'npm'): string {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    const name = outcome.file.startsWith('/') ? relative(cwd, outcome.file) || outcome.file : outcome.file;
    if (outcome.status === 'invalid') {
      if (outcome.unreadablePath) lines.push(`✗ ${outcome.error}`);
      else lines.push(`✗ ${name}: invalid cassette`, ...indent(outcome.error.split('\n'), 4));
      continue;
    }
    const r = outcome.result;
    const counts = `${r.requests} request(s), ${r.modelCalls} model call(s)`;
    if (outcome.status === 'updated') {
      lines.push(`↻ ${name}: expected events re-recorded (${counts})`);
      continue;
    }
    if (outcome.status === 'equal') {
      lines.push(`✓ ${name}: identical (${counts})`);
      continue;
    }
    lines.push(`✗ ${name}: differs from the recording (${counts})`);
    if (r.updateRefused) lines.push(`    ${r.updateRefused}`);
    for (const error of r.modelErrors) lines.push(`    ${error}`);
    for (const exchange of r.exchanges) {
      lines.push(`    request #${exchange.index} ${exchange.type}:`);
      lines.push(...indent(exchange.differences.map(formatDifference), 6));
      if (exchange.truncated) lines.push(`      … and more (the first ${exchange.differences.length} differences usually explain the rest)`);
    }
    for (const model of r.modelDifferences) {
      lines.push(`    model call #${model.call} was asked something else:`);
      lines.push(...indent(model.differences.map(formatDifference), 6));
    }
    if (r.unusedModelCalls > 0) lines.push(`    ${r.unusedModelCalls} recorded model call(s) were never made`);
  }
  const cassettes = outcomes.filter((o) => !(o.status === 'invalid' && o.unreadablePath));
  const equal = cassettes.filter((o) => o.status === 'equal' || o.status === 'updated').length;
  const unreadable = outcomes.length - cassettes.length;
  lines.push('');
  if (cassettes.length > 0) {
    // The hint applies whenever something differs, even if another path also failed (exit 2).
    const differs = cassettes.some((o) => o.status === 'different');
    lines.push(`${equal}/${cassettes.length} cassette(s) replayed identically${differs ? `; if the change is intended, run \`${runScript(packageManager, 'replay')}${scriptArgsSeparator(packageManager)} --update\` (every cassette) or \`npx create-chatkit-backend replay --update <cassette>\`` : ''}`);
  }
  if (unreadable > 0) lines.push(`${unreadable} path(s) held no cassette; record one with \`${RERECORD_HINT}\` (and send a few requests)`);
  return lines.join('\n') + '\n';
}

function indent(lines: string[], n: number): string[] {
  return lines.map((line) => ' '.repeat(n) + line);
}

export function toJsonReport(outcomes: readonly CassetteOutcome[]): unknown {
  return {
    exitCode: exitCodeOf(outcomes),
    cassettes: outcomes.map((o) =>
      o.status === 'invalid'
        ? { file: o.file, status: o.status, error: o.error, ...(o.unreadablePath ? { unreadablePath: true } : {}) }
        : {
            file: o.file,
            status: o.status,
            requests: o.result.requests,
            modelCalls: o.result.modelCalls,
            differences: o.result.exchanges,
            modelDifferences: o.result.modelDifferences,
            modelErrors: o.result.modelErrors,
            unusedModelCalls: o.result.unusedModelCalls,
            ...(o.result.updateRefused ? { updateRefused: o.result.updateRefused } : {}),
          },
    ),
  };
}

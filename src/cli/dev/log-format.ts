/** The dev log's lines. Pure. */
import chalk from 'chalk';
import type { ObservedResponse } from '../../http/observer.js';
import { describeEvent } from '../cassette/event-summary.js';

/** What the plugin's observer reports for each response (the request id is not shown). */
export type ResponseSummary = Omit<ObservedResponse, 'requestId'> & {
  /** Failed although the status says otherwise (a stream that carried an error event); its cause is printed separately. */
  failed?: boolean;
};

const ms = (value: number) => `${Math.round(value)}ms`;

export function formatResponseLine(r: ResponseSummary): string {
  const failed = r.failed === true || r.status >= 400 || r.error !== undefined;
  const mark = failed ? chalk.red('✗') : chalk.green('✓');
  const parts = [
    mark,
    (r.type ?? '(unknown type)').padEnd(30),
    (r.threadId ?? '-').padEnd(28),
    (failed ? chalk.red : chalk.dim)(String(r.status)),
  ];
  if (r.streaming) parts.push(`first event ${r.firstEventMs === undefined ? '-' : ms(r.firstEventMs)}`, `${r.eventCount} events`);
  parts.push(ms(r.durationMs));
  const line = parts.join('  ');
  return r.error ? `${line}\n    ${chalk.red(`${r.error.code}: ${r.error.message}`)}` : line;
}

/** One compact line per streamed event for `--verbose`. */
export function formatEventLine(event: unknown, atMs: number): string {
  return chalk.dim(`    +${ms(atMs).padStart(6)} ${describeEvent(event, 130)}`);
}

/** The dev log's lines. Pure. */
import chalk from 'chalk';
import type { ObservedResponse } from '../../http/observer.js';

/** What the plugin's observer reports for each response (the request id is not shown). */
export type ResponseSummary = Omit<ObservedResponse, 'requestId'>;

const ms = (value: number) => `${Math.round(value)}ms`;

export function formatResponseLine(r: ResponseSummary): string {
  const failed = r.status >= 400 || r.error !== undefined;
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
  const e = event as Record<string, any>;
  let detail = '';
  switch (e.type) {
    case 'thread.item.updated':
      detail = `${e.update?.type ?? ''}${typeof e.update?.delta === 'string' ? ` ${JSON.stringify(e.update.delta)}` : ''}`;
      break;
    case 'thread.item.added':
    case 'thread.item.done':
      detail = `${e.item?.type ?? ''} ${e.item?.id ?? ''}`;
      break;
    case 'thread.created':
    case 'thread.updated':
      detail = e.thread?.id ?? '';
      break;
    case 'error':
      detail = `${e.code ?? ''} ${e.message ?? ''}`;
      break;
    default:
      detail = '';
  }
  return chalk.dim(`    +${ms(atMs).padStart(6)} ${e.type}${detail ? ` ${truncate(detail, 100)}` : ''}`);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

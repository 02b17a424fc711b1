/**
 * The live log `dev` prints from the plugin's observer: one summary line per
 * response, with `--verbose` a line per request and per streamed event, and a
 * warning when the agent writes widget data as text.
 */
import type { EventEmitter } from 'node:events';
import chalk from 'chalk';
import type { ObservedEvent, ObservedRequest, ObservedResponse } from '../../http/observer.js';
import { formatEventLine, formatResponseLine } from './log-format.js';
import { WidgetTextLint } from './widget-text-lint.js';

export function attachRequestLog(observer: EventEmitter, verbose: boolean): void {
  const print = (line: string) => console.log(line);
  const lint = new WidgetTextLint();
  // threads.create names its thread only in the first event.
  const createdThread = new Map<string, string>();
  // With --verbose, each request's event lines follow a line naming it (the summary line comes at its end).
  if (verbose) {
    observer.on('request', ({ type, threadId }: ObservedRequest) => print(chalk.dim(`→  ${type ?? '(unknown type)'}${threadId ? `  ${threadId}` : ''}`)));
  }
  observer.on('event', ({ requestId, event, atMs }: ObservedEvent) => {
    if (event.type === 'thread.created' && event.thread?.id) createdThread.set(requestId, event.thread.id);
    if (verbose) print(formatEventLine(event, atMs));
    const warning = lint.check(event);
    if (warning) {
      print(chalk.yellow(
        `  ⚠ thread ${warning.threadId}: the assistant wrote ${warning.kind} right after a widget (item ${warning.itemId}). ` +
          'The widget already shows that data; have the tool tell the model the widget is displayed, and instruct it not to repeat the data as text.',
      ));
    }
  });
  observer.on('response', (summary: ObservedResponse) => {
    const threadId = summary.threadId ?? createdThread.get(summary.requestId);
    createdThread.delete(summary.requestId);
    print(formatResponseLine({ ...summary, ...(threadId ? { threadId } : {}) }));
  });
}

/**
 * The live log `dev` prints from the plugin's observer: one summary line per
 * response, with `--verbose` a line per request and per streamed event, and a
 * warning when the agent writes widget data as text. A response that failed
 * (an error status, or a stream that carried an `error` event) is a red line
 * followed by its cause, as the failure tracker recorded it.
 */
import type { EventEmitter } from 'node:events';
import { sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import chalk from 'chalk';
import type { ObservedEvent, ObservedRequest, ObservedResponse } from '../../http/observer.js';
import { formatEventLine, formatResponseLine } from './log-format.js';
import { WidgetTextLint } from './widget-text-lint.js';
import type { FailureTracker } from './failure-tracker.js';
import { describeTurnFailure, type TurnFailure } from './turn-failure.js';

export interface FailureReporting {
  tracker: FailureTracker;
  env: Record<string, string | undefined>;
  /** Scrubs configured secrets from what is printed. */
  redact: (text: string) => string;
  /** The project's directory: paths below it are printed relative to it (`src/tasks.ts:31:9`), as editors link them. */
  root?: string;
}

/** The indented cause lines under a failed request's line (or on their own for an error outside a request). */
export function formatFailure(failure: TurnFailure, reporting: Pick<FailureReporting, 'env' | 'redact' | 'root'>, verbose: boolean): string {
  const [first, ...rest] = describeTurnFailure(failure, reporting.env, verbose).map((line) => reporting.redact(relativeToProject(line, reporting.root)));
  // A tool the model was told about did not stop the turn: a warning, not a failure.
  const headline = failure.kind === 'tool' ? chalk.yellow(`⚠ ${first}`) : chalk.red(first);
  return [`    ${headline}`, ...rest.map((line) => chalk.dim(`      ${line}`))].join('\n');
}

/** Frames in the project (`/home/ada/app/src/x.ts`, or as a file: URL) shortened to `src/x.ts`. */
function relativeToProject(line: string, root: string | undefined): string {
  if (!root) return line;
  const dir = root.endsWith(sep) ? root : root + sep;
  return line.split(`${pathToFileURL(dir).href}`).join('').split(dir).join('');
}

export function attachRequestLog(observer: EventEmitter, verbose: boolean, reporting?: FailureReporting): void {
  const print = (line: string) => console.log(line);
  const lint = new WidgetTextLint();
  // threads.create names its thread only in the first event.
  const createdThread = new Map<string, string>();
  // The first `error` event a stream carried: the stream answered 200, but the turn failed.
  const streamedError = new Map<string, { code: string; message: string }>();
  observer.on('request', ({ requestId, type, threadId }: ObservedRequest) => {
    reporting?.tracker.enterRequest(requestId);
    // With --verbose, each request's event lines follow a line naming it (the summary line comes at its end).
    if (verbose) print(chalk.dim(`→  ${type ?? '(unknown type)'}${threadId ? `  ${threadId}` : ''}`));
  });
  observer.on('event', ({ requestId, event, atMs }: ObservedEvent) => {
    if (event.type === 'thread.created' && event.thread?.id) createdThread.set(requestId, event.thread.id);
    if (event.type === 'error' && !streamedError.has(requestId)) {
      streamedError.set(requestId, { code: event.code ?? 'error', message: event.message ?? 'the stream ended with an error event' });
    }
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
    const causes = reporting?.tracker.claim(summary.requestId) ?? [];
    const streamed = streamedError.get(summary.requestId);
    streamedError.delete(summary.requestId);
    // A bare `stream.error` says nothing the cause below does not; a custom message (what the user saw) does.
    const error = summary.error ?? (streamed && (causes.length === 0 || streamed.code === 'custom') ? streamed : undefined);
    print(formatResponseLine({ ...summary, ...(threadId ? { threadId } : {}), ...(error ? { error } : {}), failed: streamed !== undefined }));
    if (!reporting) return;
    // The provider's answer says more than the error it caused in the handler: show it alone.
    const provider = causes.filter((failure) => failure.kind === 'provider-status' || failure.kind === 'provider-unreachable').at(-1);
    for (const failure of provider ? [provider] : causes) print(formatFailure(failure, reporting, verbose));
  });
}

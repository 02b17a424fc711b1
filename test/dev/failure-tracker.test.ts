/** When dev prints a failure under its request's line, and when on its own. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FailureTracker } from '../../src/cli/dev/failure-tracker.js';
import type { TurnFailure } from '../../src/cli/dev/turn-failure.js';

const unreachable: TurnFailure = { kind: 'provider-unreachable', url: 'https://api.openai.com/v1/responses', code: 'ENOTFOUND' };

describe('FailureTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps the failures of a request still running (a client retrying for seconds) for its summary line', () => {
    const printedAlone: TurnFailure[] = [];
    const tracker = new FailureTracker((failure) => printedAlone.push(failure));
    tracker.enterRequest('req-1');
    tracker.record(unreachable, 'req-1');
    vi.advanceTimersByTime(1_500);
    tracker.record(unreachable, 'req-1');
    vi.advanceTimersByTime(5_000);
    expect(printedAlone).toEqual([]);
    expect(tracker.claim('req-1')).toEqual([unreachable, unreachable]);
    vi.advanceTimersByTime(5_000);
    expect(printedAlone).toEqual([]);
  });

  it('gives a failure reported outside any request context (a stream being written) to the latest request still running', async () => {
    const printedAlone: TurnFailure[] = [];
    const tracker = new FailureTracker((failure) => printedAlone.push(failure));
    // Each request is reported in its own async context, as the plugin's handler does.
    const inOwnContext = (run: () => void) => new Promise<void>((resolve) => setImmediate(() => { run(); resolve(); }));
    await inOwnContext(() => tracker.enterRequest('req-1'));
    await inOwnContext(() => tracker.enterRequest('req-2'));
    expect(tracker.claim('req-2')).toEqual([]);
    // Recorded here, where neither request's id can be followed.
    tracker.record(unreachable);
    expect(tracker.claim('req-1')).toEqual([unreachable]);
    vi.advanceTimersByTime(1_500);
    expect(printedAlone).toEqual([]);
  });

  it('prints a failure no running request will claim on its own, once', () => {
    const printedAlone: TurnFailure[] = [];
    const tracker = new FailureTracker((failure) => printedAlone.push(failure));
    tracker.record(unreachable, 'req-9');
    vi.advanceTimersByTime(1_500);
    expect(printedAlone).toEqual([unreachable]);
    // A request that already had its summary line: a late failure is printed on its own too.
    tracker.enterRequest('req-2');
    expect(tracker.claim('req-2')).toEqual([]);
    tracker.record(unreachable, 'req-2');
    vi.advanceTimersByTime(1_500);
    expect(printedAlone).toEqual([unreachable, unreachable]);
  });
});

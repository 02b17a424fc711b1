/**
 * Cooperative time slicing of the event loop between streams.
 *
 * Streams whose store answers at once (MemoryStore) or whose writes are
 * answered together (a group commit settling hundreds of writers) run from
 * one promise to the next without giving the event loop back: a burst of a
 * thousand streams then holds it for hundreds of milliseconds, and nothing
 * else (a health check, a new request, a socket that drained) is served
 * meanwhile. So each stream asks, at each of its steps, whether the current
 * slice of the loop has run long; once it has, the step waits in one
 * first-in, first-out queue, and the queue is worked off in the next turns
 * of the loop (the check phase, after the loop has polled for I/O), one
 * slice per turn.
 *
 * The queue runs one step at a time and starts the next only once the work
 * the previous one set off is done (its promise continuations, and the
 * frames it flushed to its socket), so that work counts against the slice.
 */

/**
 * How long one slice may run. Short enough that a health check is answered
 * well within 50 ms under a burst of a thousand streams; long enough that
 * streams rarely stop mid-burst (each stop is one more write to the socket):
 * 4 ms cost a quarter of the plugin's throughput in `bench:http`.
 */
export const SLICE_MS = 8;

/** When the open slice ends (`performance.now()`), or -1 when none is open. */
let sliceEnds = -1;
/** Which slice is open, so a stale `closeSlice` leaves a newer slice alone. */
let sliceNumber = 0;

const waiting: ((() => void) | undefined)[] = [];
/** How many consumed entries may sit at the front of `waiting` before they are dropped. */
const COMPACT_AFTER = 1024;
let head = 0;
/** A drain of `waiting` is running or scheduled. */
let draining = false;

function openSlice(now: number): void {
  sliceEnds = now + SLICE_MS;
  const number = ++sliceNumber;
  // The slice ends at the next check phase at the latest, so the next turn starts afresh.
  setImmediate(() => {
    if (sliceNumber === number) sliceEnds = -1;
  });
}

/** `true` when the current slice has run out (time only; opens a slice when none is open). */
export function sliceOver(): boolean {
  const now = performance.now();
  if (sliceEnds < 0) {
    openSlice(now);
    return false;
  }
  return now >= sliceEnds;
}

/**
 * `true` when the current slice has run out, or steps are already waiting
 * (so a newcomer does not overtake them). Opens a slice when none is open.
 */
export function sliceSpent(): boolean {
  return head < waiting.length || sliceOver();
}

/** Runs `step` now, or queues it for a later slice when this one is spent. */
export function inSlice(step: () => void): void {
  if (sliceSpent()) later(step);
  else step();
}

/** `undefined` when the caller may go on now; else a promise that resolves when its turn comes in a later slice. */
export function waitForTurn(): Promise<void> | undefined {
  return sliceSpent() ? new Promise((resolve) => later(resolve)) : undefined;
}

/** Queues `step` behind every step already waiting. */
export function later(step: () => void): void {
  waiting.push(step);
  if (draining) return;
  draining = true;
  setImmediate(drainTurn);
}

/** A new turn of the loop: a fresh slice for the queue. */
function drainTurn(): void {
  openSlice(performance.now());
  drainStep();
}

function drainStep(): void {
  if (head >= waiting.length) {
    waiting.length = 0;
    head = 0;
    draining = false;
    return;
  }
  if (sliceEnds >= 0 && performance.now() >= sliceEnds) {
    setImmediate(drainTurn);
    return;
  }
  const step = waiting[head]!;
  waiting[head++] = undefined;
  // Under steady load the queue may never empty: drop the consumed front now and then.
  if (head >= COMPACT_AFTER && head * 2 >= waiting.length) {
    waiting.splice(0, head);
    head = 0;
  }
  try {
    step();
  } finally {
    // The next step starts once the work this one set off is over, the
    // socket writes included: promise continuations run first, then the
    // `nextTick` queue (where streams flush their frames and Node writes
    // to sockets), and only then this.
    process.nextTick(queueDrainStep);
  }
}

const queueDrainStep = (): void => queueMicrotask(drainStep);

/**
 * The buffer-and-burst signature: frames the server spaced out in time
 * arrive together, after a wait as long as the whole stream. Pure, so the
 * rule is unit-testable without a clock.
 */

export interface ArrivalAnalysis {
  /** Data frames seen. */
  frames: number;
  /** Time to the first frame. */
  firstMs: number | null;
  /** Time between the first and the last frame. */
  spreadMs: number;
  /** What the spread should be if every frame is delivered when it is written. */
  expectedSpreadMs: number;
  buffered: boolean;
}

/**
 * A stream is buffered when its frames arrive within a quarter of the time
 * the server took to write them. Generous on purpose: a loaded machine delays
 * frames, it does not bunch up frames written hundreds of ms apart.
 */
export function analyzeArrivals(arrivalsMs: number[], gapMs: number): ArrivalAnalysis {
  const frames = arrivalsMs.length;
  const expectedSpreadMs = Math.max(0, frames - 1) * gapMs;
  if (frames === 0) return { frames, firstMs: null, spreadMs: 0, expectedSpreadMs, buffered: false };
  const spreadMs = Math.round(arrivalsMs[frames - 1]! - arrivalsMs[0]!);
  const buffered = frames >= 3 && expectedSpreadMs > 0 && spreadMs < expectedSpreadMs * 0.25;
  return { frames, firstMs: Math.round(arrivalsMs[0]!), spreadMs, expectedSpreadMs, buffered };
}

export function describeArrivals(label: string, a: ArrivalAnalysis): string {
  if (a.frames === 0) return `${label}: no frames arrived`;
  return `${label}: ${a.frames} frames, first after ${a.firstMs} ms, spread over ${a.spreadMs} ms (written over ${a.expectedSpreadMs} ms)${a.buffered ? ': buffered, then delivered in one burst' : ''}`;
}

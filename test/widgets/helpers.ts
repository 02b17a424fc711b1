/** Shared pieces for the widget tests: draining a generator, and an async sequence of widget states. */

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** The given states as an async sequence, as a tool streaming a widget produces them. */
export async function* states<T>(...values: T[]): AsyncGenerator<T> {
  for (const value of values) yield value;
}

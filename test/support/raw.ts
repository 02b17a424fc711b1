/**
 * Byte-level comparison with the reference's captured output: generated ids
 * become `<prefixN>` (numbered per prefix in order of first appearance) and
 * timestamps `<ts>`, everything else, key order included, stays as sent.
 */
const ID = /\b((thr|msg|tc|wf|tsk|atc|shcx)_[0-9a-f]{16,})\b/g;
const TS = /"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"/g;

export class RawNormalizer {
  private readonly ids = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** Gives an id a chosen placeholder (e.g. a test's own names). */
  name(id: string, placeholder: string): void {
    this.ids.set(id, placeholder);
  }

  text(raw: string): string {
    return raw
      .replace(ID, (_m, id: string, prefix: string) => {
        let placeholder = this.ids.get(id);
        if (!placeholder) {
          const n = (this.counters.get(prefix) ?? 0) + 1;
          this.counters.set(prefix, n);
          placeholder = `<${prefix}${n}>`;
          this.ids.set(id, placeholder);
        }
        return placeholder;
      })
      .replace(TS, '"<ts>"');
  }

  /** SSE text → normalized `data: …` lines without the blank separators. */
  lines(sse: string): string[] {
    if (sse === '') return [];
    return this.text(sse).slice(0, -2).split('\n\n');
  }
}

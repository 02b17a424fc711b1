/**
 * A Card whose text streams in: each yielded root is a snapshot, and the
 * runtime sends only what changed (`widget.streaming_text.value_delta` for
 * the growing `Text` with an `id`), so the user sees it being written.
 */
import type { Widgets } from 'create-chatkit-backend/widgets';

function summaryCard(title: string, body: string, streaming: boolean): Widgets.Card {
  return {
    type: 'Card',
    size: 'md',
    children: [
      { type: 'Title', value: title, size: 'sm' },
      { type: 'Text', id: 'summary-body', value: body, streaming },
    ],
  };
}

export async function* streamingSummaryCard(title: string, words: AsyncIterable<string> | Iterable<string>): AsyncGenerator<Widgets.Card> {
  let body = '';
  yield summaryCard(title, body, true);
  for await (const word of words) {
    body += word;
    yield summaryCard(title, body, true);
  }
  yield summaryCard(title, body, false);
}

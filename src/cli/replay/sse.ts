/** Splitting a ChatKit SSE body (`data: <json>\n\n` frames, `: ping` comments) into events. */
export function parseSseEvents(text: string): unknown[] {
  const events: unknown[] = [];
  for (const frame of text.split(/\r?\n\r?\n/)) {
    const data = frame
      .split(/\r?\n/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).replace(/^ /, ''))
      .join('\n');
    if (data === '') continue;
    try {
      events.push(JSON.parse(data));
    } catch {
      events.push({ unparseable_frame: data });
    }
  }
  return events;
}

/**
 * The user message of doctor's probe threads. `dev --record` recognises the
 * prefix and leaves these threads out of the cassettes (doctor creates and
 * deletes them; they are not sessions anyone wants to replay).
 */
const PROBE_TEXT_PREFIX = 'doctor: ';

export function probeInput(what: string) {
  return { content: [{ type: 'input_text', text: `${PROBE_TEXT_PREFIX}${what}` }], attachments: [], inference_options: {} };
}

/** Whether a `threads.create` body is one of doctor's probes. */
export function isProbeRequest(body: unknown): boolean {
  const content = (body as { type?: unknown; params?: { input?: { content?: { text?: unknown }[] } } } | null)?.params?.input?.content;
  return (body as { type?: unknown } | null)?.type === 'threads.create'
    && Array.isArray(content) && typeof content[0]?.text === 'string' && content[0].text.startsWith(PROBE_TEXT_PREFIX);
}

/**
 * Protocol: the endpoint answers the way the ChatKit client expects.
 * `threads.list` is a JSON page; `threads.create` is an event stream of
 * `thread.created`, the user message, `stream_options`, then a reply, each
 * frame one JSON `data:` line; an invalid request is a 4xx JSON error.
 */
import { header, postChatKit } from '../http-probe.js';
import { parseFrame } from '../sse.js';
import type { Check, CheckOutcome } from '../types.js';
import { deleteProbeThread, describeResponse, noTarget, primaryTarget } from './target.js';
import { probeInput } from '../probe-input.js';

const DOCS = 'https://openai.github.io/chatkit-python/server/';

type Event = NonNullable<ReturnType<typeof parseFrame>['event']>;

/** What is wrong with a `threads.create` event sequence, or null. */
export function sequenceProblem(events: Event[]): string | null {
  const types = events.map((e) => String(e.type));
  if (types[0] !== 'thread.created') return `the first event is ${types[0] ?? 'missing'}, expected thread.created`;
  const userIndex = events.findIndex((e) => (e.type === 'thread.item.done' || e.type === 'thread.item.added') && (e.item as { type?: string } | undefined)?.type === 'user_message');
  if (userIndex < 0) return 'no thread.item.done carrying the user message';
  const optionsIndex = types.indexOf('stream_options');
  if (optionsIndex < 0) return 'no stream_options event';
  if (optionsIndex < userIndex) return 'stream_options came before the user message';
  const error = events.find((e) => e.type === 'error');
  if (error) return `the reply failed with an error event: ${JSON.stringify({ code: error.code, message: error.message })}`;
  const reply = events.slice(optionsIndex + 1).some((e) => String(e.type).startsWith('thread.item.'));
  if (!reply) return 'no reply after stream_options (no thread.item.* event)';
  return null;
}

export const protocolCheck: Check = {
  id: 'protocol',
  title: 'ChatKit protocol responses',
  category: 'protocol',
  probes: true,
  async run(ctx) {
    const target = primaryTarget(ctx);
    if (!target) return noTarget(ctx);
    const evidence: string[] = [];
    const problems: string[] = [];
    const fail = (message: string, fix: string[]): CheckOutcome => ({ status: 'fail', message, evidence: [...problems.map((p) => `also: ${p}`), ...evidence], fix, docs: DOCS });

    // threads.list: a JSON page.
    const list = await postChatKit(target.endpoint, { type: 'threads.list', params: { limit: 1 } }, target.authHeaders, ctx.signal);
    evidence.push(describeResponse('threads.list', list));
    if (list.status === 401 || list.status === 403) {
      return fail(`the endpoint requires credentials (HTTP ${list.status}) and doctor has none`, ['Pass --auth-header "Bearer <token>" (or set CHATKIT_JWT_SECRET so doctor can mint a token).']);
    }
    type Page = { data?: unknown; has_more?: unknown };
    let page: Page | null = null;
    try {
      page = JSON.parse(list.body) as Page;
    } catch {
      problems.push(`threads.list did not return JSON: ${JSON.stringify(list.body.slice(0, 80))}`);
    }
    if (list.status !== 200) problems.push(`threads.list answered HTTP ${list.status}`);
    else if (page && (!Array.isArray(page.data) || typeof page.has_more !== 'boolean')) problems.push('threads.list is not a page ({ data: [...], has_more })');

    // threads.create: the event stream.
    const create = await postChatKit(target.endpoint, { type: 'threads.create', params: { input: probeInput('protocol probe') } }, target.authHeaders, ctx.signal);
    evidence.push(describeResponse('threads.create', create));
    const type = header(create, 'content-type') ?? '';
    let threadId: string | undefined;
    if (create.status !== 200) {
      problems.push(`threads.create answered HTTP ${create.status}: ${create.body.slice(0, 120)}`);
    } else if (!type.startsWith('text/event-stream')) {
      problems.push(`threads.create answered ${type || 'no content-type'} instead of text/event-stream (wrong response shape: stream the StreamingResult, don't return JSON)`);
    } else {
      const events: Event[] = [];
      for (const frame of create.frames) {
        const parsed = parseFrame(frame.text);
        if (parsed.comment) continue;
        if (parsed.problem) {
          problems.push(`malformed frame: ${parsed.problem}`);
          break;
        }
        events.push(parsed.event!);
      }
      evidence.push(`threads.create events: ${events.map((e) => e.type).join(', ') || '(none)'}`);
      threadId = (events[0]?.thread as { id?: string } | undefined)?.id;
      const problem = sequenceProblem(events);
      if (problem) problems.push(`threads.create: ${problem}`);
    }
    await deleteProbeThread(target, threadId, ctx.signal);

    // An invalid request: a 4xx JSON error naming the problem.
    const invalid = await postChatKit(target.endpoint, { type: 'threads.create', params: {} }, target.authHeaders, ctx.signal);
    evidence.push(describeResponse('invalid threads.create (no input)', invalid));
    if (invalid.status < 400 || invalid.status >= 500) problems.push(`an invalid request answered HTTP ${invalid.status}, expected a 4xx`);
    else {
      try {
        JSON.parse(invalid.body);
      } catch {
        problems.push(`the HTTP ${invalid.status} error body is not JSON`);
      }
    }

    if (problems.length > 0) {
      const [first, ...rest] = problems;
      return { status: 'fail', message: first!, evidence: [...rest.map((p) => `also: ${p}`), ...evidence], fix: ['Serve the endpoint with the chatkit Fastify plugin (create-chatkit-backend/fastify), which returns JSON for non-streaming requests and text/event-stream frames for streaming ones.', 'If the reply failed, run `create-chatkit-backend dev` and send a message: it prints the cause (provider status, tool or store error) under the failed request.'], docs: DOCS };
    }
    return { status: 'pass', message: 'threads.list, threads.create and an invalid request behave as the ChatKit client expects', evidence, docs: DOCS };
  },
};

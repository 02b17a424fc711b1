/** Helpers the network checks share: the target to probe, the skip when there is none, and cleaning up after a probe. */
import { header, postChatKit, type ProbeResponse } from '../http-probe.js';
import type { CheckOutcome, DoctorContext, Target } from '../types.js';

export function primaryTarget(ctx: DoctorContext): Target | undefined {
  return ctx.targets[0];
}

/** No backend: a failure when the project's own app would not start, a skip when there is no project. */
export function noTarget(ctx: DoctorContext): CheckOutcome {
  if (ctx.root && ctx.targetProblem) {
    return {
      status: 'fail',
      message: `not probed, the app did not start: ${ctx.targetProblem.split('\n')[0]}`,
      evidence: ctx.targetProblem.split('\n').slice(1),
      fix: ['Fix the start-up error shown here (`npm run dev` shows it too, and retries on each save), then run doctor again.'],
    };
  }
  return {
    status: 'skip',
    message: 'no backend to probe',
    evidence: ctx.targetProblem ? [ctx.targetProblem] : [],
    fix: ['Run doctor inside the project (it starts src/app.ts itself) or pass --url <backend>.'],
  };
}

/** One line describing a response: status, type and the headers that matter. */
export function describeResponse(label: string, response: ProbeResponse, names: string[] = []): string {
  const parts = [`HTTP ${response.status}`];
  const type = header(response, 'content-type');
  if (type) parts.push(`content-type: ${type}`);
  for (const name of names) {
    const value = header(response, name);
    parts.push(`${name}: ${value ?? '(absent)'}`);
  }
  return `${label} → ${parts.join(', ')}`;
}


/** Leaves nothing behind in the user's store: deletes a thread a probe created (a failed delete is not a finding). */
export async function deleteProbeThread(target: Target, threadId: string | undefined, signal: AbortSignal): Promise<void> {
  if (threadId) await postChatKit(target.endpoint, { type: 'threads.delete', params: { thread_id: threadId } }, target.authHeaders, signal).catch(() => undefined);
}

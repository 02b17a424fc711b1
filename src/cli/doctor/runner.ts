/**
 * Runs checks in parallel, each with its own time limit. A check that throws
 * or runs out of time becomes an `error` result naming what happened; it
 * never takes the run down.
 */
import { ProbeError } from './http-probe.js';
import type { Check, CheckReport, DoctorContext, DoctorReport, Summary } from './types.js';

const DEFAULT_TIMEOUT_MS = 15_000;

class CheckTimeout extends Error {}

const NETWORK_FIX: Record<ProbeError['kind'], string> = {
  refused: 'Start the backend (npm run dev) or check the --url port.',
  dns: 'Check the host name in --url.',
  timeout: 'Check that the backend answers; a hanging request is a finding in itself.',
  tls: 'Check the certificate of the --url host (expired, self-signed, wrong name) or a proxy intercepting TLS.',
  reset: 'Something closed the connection: check proxies and firewalls between doctor and the backend.',
  other: 'Check that --url points at the backend and that it is reachable from here.',
};

export async function runCheck(check: Check, base: Omit<DoctorContext, 'signal'>, defaultTimeoutMs = DEFAULT_TIMEOUT_MS): Promise<CheckReport> {
  const controller = new AbortController();
  const limit = typeof check.timeoutMs === 'function' ? check.timeoutMs({ ...base, signal: controller.signal }) : (check.timeoutMs ?? defaultTimeoutMs);
  const started = performance.now();
  const elapsedMs = () => Math.round(performance.now() - started);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new CheckTimeout());
      controller.abort(new CheckTimeout());
    }, limit);
  });
  const meta = { id: check.id, title: check.title, category: check.category };
  try {
    const outcome = await Promise.race([check.run({ ...base, signal: controller.signal }), timeout]);
    return { ...meta, ...outcome, durationMs: elapsedMs() };
  } catch (error) {
    if (error instanceof ProbeError && !(error.kind === 'timeout' && controller.signal.aborted)) {
      // The backend could not be reached: a finding about the setup, not a crash of the check.
      return { ...meta, status: 'fail', message: error.message, evidence: [], fix: [NETWORK_FIX[error.kind]], durationMs: elapsedMs() };
    }
    const timedOut = error instanceof CheckTimeout || (error instanceof ProbeError && controller.signal.aborted);
    return {
      ...meta,
      status: 'error',
      message: timedOut ? `did not finish within ${Math.round(limit / 1000)} s` : `the check crashed: ${(error as Error)?.message ?? String(error)}`,
      evidence: timedOut || !(error instanceof Error) || !error.stack ? [] : error.stack.split('\n').slice(1, 4).map((l) => l.trim()),
      fix: timedOut ? [NETWORK_FIX.timeout] : ['This is a bug in doctor or an unexpected setup: please report it with the evidence above.'],
      durationMs: elapsedMs(),
    };
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

function summarize(checks: CheckReport[]): Summary {
  const summary: Summary = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const check of checks) summary[check.status]++;
  return summary;
}

/** `ok` is false on any failure or crash, and with `strict` also on any warning. */
function isOk(summary: Summary, strict: boolean): boolean {
  return summary.fail === 0 && summary.error === 0 && (!strict || summary.warn === 0);
}

export async function runChecks(
  checks: readonly Check[],
  base: Omit<DoctorContext, 'signal'>,
  options: { strict?: boolean; defaultTimeoutMs?: number; onResult?: (report: CheckReport) => void } = {},
): Promise<DoctorReport> {
  const reports = await Promise.all(
    checks.map(async (check) => {
      const report = await runCheck(check, base, options.defaultTimeoutMs);
      options.onResult?.(report);
      return report;
    }),
  );
  const summary = summarize(reports);
  return { schemaVersion: 1, ok: isOk(summary, options.strict ?? false), summary, checks: reports };
}

/**
 * Streaming: the reply must reach the browser frame by frame. Checks the
 * event-stream headers, then measures frame arrival times through the
 * diagnostics route for each Accept-Encoding (a compressor or proxy that
 * buffers shows as one burst at the end). With both the local app and --url,
 * the same probe on each names the hop that buffers.
 */
import { analyzeArrivals, describeArrivals, type ArrivalAnalysis } from '../burst.js';
import { header, postChatKit, probe, type ProbeResponse } from '../http-probe.js';
import { parseFrame } from '../sse.js';
import type { Check, CheckOutcome, DoctorContext, Target } from '../types.js';
import { deleteProbeThread, noTarget } from './target.js';
import { probeInput } from '../probe-input.js';

const DOCS = 'https://developer.mozilla.org/en-US/docs/Web/API/Server-sent_events/Using_server-sent_events';
const ENCODINGS = ['identity', 'gzip', 'br'] as const;
const PROBE = { count: 5, gapMs: 200, bytes: 64 };
/** Gaps longer than the common idle timeouts (ELB 60 s, nginx 60 s). */
const LONG_PROBE = { count: 4, gapMs: 65_000, bytes: 64 };
const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd';

interface Finding {
  status: 'warn' | 'fail';
  message: string;
  fix: string[];
}

/** Header findings on a streaming response. */
function streamHeaderFindings(response: ProbeResponse, label: string): Finding[] {
  const findings: Finding[] = [];
  const type = header(response, 'content-type') ?? '';
  if (!type.startsWith('text/event-stream')) {
    findings.push({ status: 'fail', message: `${label}: content-type is ${type || 'absent'}, not text/event-stream`, fix: ['Return the StreamingResult as text/event-stream (the chatkit plugin does this).'] });
  }
  const encoding = header(response, 'content-encoding');
  if (encoding && encoding !== 'identity') {
    findings.push({ status: 'fail', message: `${label}: the event stream is compressed (content-encoding: ${encoding}); compressors hold small writes back`, fix: ['Exclude text/event-stream from compression (proxy, CDN or compression middleware), and send cache-control: no-cache, no-transform.'] });
  }
  if (header(response, 'content-length') !== undefined) {
    findings.push({ status: 'fail', message: `${label}: the event stream has a content-length (${header(response, 'content-length')}), so something buffered it whole`, fix: ['Stream the body (chunked); find the layer that collects it.'] });
  }
  if (!/no-transform/.test(header(response, 'cache-control') ?? '')) {
    findings.push({ status: 'warn', message: `${label}: cache-control lacks no-transform (compression layers honour it)`, fix: ['Send cache-control: no-cache, no-transform on event streams.'] });
  }
  if ((header(response, 'x-accel-buffering') ?? '').toLowerCase() !== 'no') {
    findings.push({ status: 'warn', message: `${label}: no x-accel-buffering: no (nginx buffers proxied responses by default)`, fix: ['Send x-accel-buffering: no, or set proxy_buffering off in nginx.'] });
  }
  return findings;
}

interface TargetTiming {
  target: Target;
  available: boolean;
  unavailableReason?: string;
  byEncoding: { encoding: string; analysis: ArrivalAnalysis; response: ProbeResponse }[];
}

function diagnosticsUrl(target: Target, probeShape: { count: number; gapMs: number; bytes: number }): string {
  return `${target.endpoint.replace(/\/+$/, '')}/__diagnostics/stream?count=${probeShape.count}&gapMs=${probeShape.gapMs}&bytes=${probeShape.bytes}`;
}

function diagnosticsHeaders(target: Target, encoding: string): Record<string, string> {
  return {
    accept: 'text/event-stream',
    'accept-encoding': encoding,
    ...target.authHeaders,
    ...(target.diagnosticsToken ? { 'x-chatkit-diagnostics-token': target.diagnosticsToken } : {}),
  };
}

/**
 * Arrival times of the frames written `gapMs` apart: the route's
 * `diagnostics.tick` frames when it sends them (its start and end frames are
 * not spaced), otherwise every data frame.
 */
function dataArrivals(response: ProbeResponse): number[] {
  const frames = response.frames.map((frame) => ({ atMs: frame.atMs, parsed: parseFrame(frame.text) })).filter((f) => !f.parsed.comment);
  const ticks = frames.filter((f) => f.parsed.event?.type === 'diagnostics.tick');
  return (ticks.length > 0 ? ticks : frames).map((f) => f.atMs);
}

async function measure(target: Target, signal: AbortSignal): Promise<TargetTiming> {
  const runs = await Promise.all(
    ENCODINGS.map(async (encoding) => {
      const response = await probe(diagnosticsUrl(target, PROBE), { headers: diagnosticsHeaders(target, encoding), signal });
      return { encoding, response, analysis: analyzeArrivals(dataArrivals(response), PROBE.gapMs) };
    }),
  );
  const first = runs[0]!.response;
  if (first.status !== 200 || !(header(first, 'content-type') ?? '').startsWith('text/event-stream')) {
    return {
      target,
      available: false,
      unavailableReason: `GET …/__diagnostics/stream → HTTP ${first.status} ${header(first, 'content-type') ?? ''}`.trim(),
      byEncoding: [],
    };
  }
  return { target, available: true, byEncoding: runs };
}

function isBuffered(timing: TargetTiming): boolean {
  return timing.byEncoding.some((run) => run.analysis.buffered);
}

/** Which hop buffers, from the per-target timings. */
export function nameTheHop(timings: { name: Target['name']; endpoint: string; buffered: boolean }[]): string | null {
  const local = timings.find((t) => t.name === 'local app');
  const remote = timings.find((t) => t.name === 'url');
  if (local?.buffered) return 'the app itself buffers the stream (compression or a middleware inside the app)';
  if (remote?.buffered && local) return `the app streams correctly, so the buffering happens between the app and ${remote.endpoint} (a reverse proxy, CDN or platform layer)`;
  if (remote?.buffered) return `something between doctor and ${remote.endpoint} buffers the stream (the app, or a proxy/CDN in front of it; run doctor inside the project with --url to tell them apart)`;
  return null;
}

/** The thread a `threads.create` stream created (its first event names it). */
function createdThreadId(response: ProbeResponse): string | undefined {
  const first = response.frames.map((f) => parseFrame(f.text)).find((f) => f.event)?.event;
  return first?.type === 'thread.created' ? (first.thread as { id?: string } | undefined)?.id : undefined;
}

async function longProbe(target: Target, signal: AbortSignal): Promise<{ line: string; finding?: Finding }> {
  const response = await probe(diagnosticsUrl(target, LONG_PROBE), { headers: diagnosticsHeaders(target, 'identity'), signal });
  const arrivals = dataArrivals(response);
  const seconds = Math.round(response.endMs / 1000);
  if (response.brokenOff || arrivals.length < LONG_PROBE.count) {
    return {
      line: `${target.name}: long stream (${LONG_PROBE.count} frames, ${LONG_PROBE.gapMs / 1000} s apart) ended after ${seconds} s with ${arrivals.length} frames`,
      finding: {
        status: 'fail',
        message: `${target.name}: a stream with ${LONG_PROBE.gapMs / 1000} s gaps was cut after ${seconds} s (an idle timeout on this hop)`,
        fix: ['Raise the idle timeout of the proxy / load balancer (ELB and nginx default to 60 s), or enable heartbeats (the chatkit plugin\'s heartbeatMs, e.g. 15000).'],
      },
    };
  }
  return { line: `${target.name}: long stream survived ${seconds} s with ${LONG_PROBE.gapMs / 1000} s gaps` };
}

export const streamingCheck: Check = {
  id: 'streaming',
  title: 'Streaming reaches the browser frame by frame',
  category: 'streaming',
  probes: true,
  // The long probe writes its last frame after 3 × 65 s.
  timeoutMs: (ctx) => (ctx.long ? 300_000 : 20_000),
  async run(ctx: DoctorContext): Promise<CheckOutcome> {
    if (ctx.targets.length === 0) return noTarget(ctx);
    const evidence: string[] = [];
    const findings: Finding[] = [];
    const timings: TargetTiming[] = [];
    for (const target of ctx.targets) {
      const response = await postChatKit(
        target.endpoint,
        { type: 'threads.create', params: { input: probeInput('streaming probe') } },
        { 'accept-encoding': BROWSER_ENCODINGS, ...target.authHeaders },
        ctx.signal,
      );
      evidence.push(`${target.name} threads.create (accept-encoding: ${BROWSER_ENCODINGS}) → HTTP ${response.status}; ${['content-type', 'content-encoding', 'content-length', 'cache-control', 'x-accel-buffering'].map((n) => `${n}: ${header(response, n) ?? '(absent)'}`).join('; ')}`);
      await deleteProbeThread(target, createdThreadId(response), ctx.signal);
      if (response.status === 200) findings.push(...streamHeaderFindings(response, target.name));
      else findings.push({ status: 'fail', message: `${target.name}: threads.create answered HTTP ${response.status}`, fix: ['See the protocol and auth checks.'] });

      const timing = await measure(target, ctx.signal);
      timings.push(timing);
      if (!timing.available) {
        evidence.push(`${target.name}: arrival times not measured: ${timing.unavailableReason}`);
        findings.push({
          status: 'warn',
          message: `${target.name}: the diagnostics route is not available, so buffering could not be measured`,
          fix: ['Run doctor inside the project (development mode enables the route), or configure the plugin\'s diagnostics token and pass it with --diagnostics-token.'],
        });
        continue;
      }
      for (const run of timing.byEncoding) {
        evidence.push(describeArrivals(`${target.name} accept-encoding ${run.encoding}`, run.analysis));
        const encoding = header(run.response, 'content-encoding');
        if (encoding && encoding !== 'identity') findings.push({ status: 'fail', message: `${target.name}: diagnostics stream compressed with ${encoding} for accept-encoding ${run.encoding}`, fix: ['Exclude text/event-stream from compression and send cache-control: no-cache, no-transform.'] });
      }
    }
    const buffered = timings.filter((t) => t.available).map((t) => ({ name: t.target.name, endpoint: t.target.endpoint, buffered: isBuffered(t) }));
    const hop = nameTheHop(buffered);
    if (hop) {
      const encodings = timings.flatMap((t) => t.byEncoding.filter((r) => r.analysis.buffered).map((r) => `${t.target.name}/${r.encoding}`));
      findings.unshift({
        status: 'fail',
        message: `events are buffered and arrive in one burst (${encodings.join(', ')}): ${hop}`,
        fix: [
          'Turn off response buffering for this route (nginx: proxy_buffering off, or x-accel-buffering: no).',
          'Exclude text/event-stream from compression; keep cache-control: no-cache, no-transform.',
        ],
      });
    }
    if (ctx.long) {
      for (const target of ctx.targets) {
        const result = await longProbe(target, ctx.signal);
        evidence.push(result.line);
        if (result.finding) findings.push(result.finding);
      }
    }
    const worst = findings.find((f) => f.status === 'fail') ?? findings.find((f) => f.status === 'warn');
    if (!worst) {
      return { status: 'pass', message: `event-stream headers are right and frames arrive as written (${timings.length} target${timings.length === 1 ? '' : 's'} × ${ENCODINGS.join('/')})`, evidence, docs: DOCS };
    }
    const fixes = [...new Set(findings.flatMap((f) => f.fix))];
    return { status: worst.status, message: worst.message, evidence: [...findings.filter((f) => f !== worst).map((f) => `also (${f.status}): ${f.message}`), ...evidence], fix: fixes, docs: DOCS };
  },
};

/**
 * `--format github`: the text report for the job log, then one GitHub
 * workflow command per warning or failure (`::error title=…::…`), which
 * GitHub shows as annotations on the run and the pull request. Pure.
 */
import { renderText } from './report-text.js';
import type { CheckReport, DoctorReport } from './types.js';

/** Workflow command data: `%`, CR and LF are escaped (a message keeps its lines). */
function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Property values also escape `:` and `,`, which separate properties. */
function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

const COMMAND: Partial<Record<CheckReport['status'], 'error' | 'warning'>> = { fail: 'error', error: 'error', warn: 'warning' };

export function renderGithub(report: DoctorReport, strict: boolean): string {
  const annotations: string[] = [];
  for (const check of report.checks) {
    // With --strict a warning fails the job, so it is annotated as the error it is.
    const command = check.status === 'warn' && strict ? 'error' : COMMAND[check.status];
    if (!command) continue;
    const body = [check.message, ...(check.evidence ?? []), ...(check.fix ?? []).map((step) => `fix: ${step}`), ...(check.docs ? [`docs: ${check.docs}`] : [])];
    annotations.push(`::${command} title=${escapeProperty(`doctor: ${check.title} (${check.id})`)}::${escapeData(body.join('\n'))}`);
  }
  return renderText(report, { color: false }) + annotations.map((line) => `${line}\n`).join('');
}

/** A usage problem as one annotation, so it shows on the pull request too. */
export function renderGithubError(message: string): string {
  return `::error title=${escapeProperty('doctor could not run')}::${escapeData(message)}\n`;
}

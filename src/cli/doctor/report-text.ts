/**
 * The human report: results grouped by category, one symbol per check, the
 * evidence and the fix under anything that is not a pass, and a summary line.
 * Colour only when the caller says the terminal can show it.
 */
import { Chalk } from 'chalk';
import type { CheckCategory, CheckReport, DoctorReport, ReportedStatus } from './types.js';

const CATEGORY_TITLES: Record<CheckCategory, string> = {
  configuration: 'Configuration',
  security: 'Security',
  network: 'Network',
  streaming: 'Streaming',
  protocol: 'Protocol',
  code: 'Code',
};
const CATEGORY_ORDER = Object.keys(CATEGORY_TITLES) as CheckCategory[];

const SYMBOLS: Record<ReportedStatus, string> = { pass: '✓', warn: '⚠', fail: '✗', skip: '○', error: '!' };

export interface TextOptions {
  color: boolean;
  /** Show evidence for passing and skipped checks too. */
  verbose?: boolean;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function summaryLine(report: DoctorReport): string {
  const s = report.summary;
  const parts = [`${s.pass} passed`];
  if (s.warn) parts.push(plural(s.warn, 'warning'));
  if (s.fail) parts.push(`${s.fail} failed`);
  if (s.error) parts.push(`${s.error} crashed`);
  if (s.skip) parts.push(`${s.skip} skipped`);
  const total = report.checks.length;
  return `${plural(total, 'check')}: ${parts.join(', ')}. ${report.ok ? (s.warn ? 'No failures.' : 'No issues found.') : 'Problems found.'}`;
}

export function renderText(report: DoctorReport, options: TextOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const paint: Record<ReportedStatus, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim, error: c.magenta };
  const lines: string[] = [];
  // Several checks can fail for one cause (the app did not start): its evidence is printed once.
  const printedDetails = new Map<string, string>();
  for (const category of CATEGORY_ORDER) {
    const checks = report.checks.filter((check) => check.category === category);
    if (checks.length === 0) continue;
    lines.push(c.bold(CATEGORY_TITLES[category]));
    for (const check of checks) lines.push(...renderCheck(check, options, paint, c, printedDetails));
    lines.push('');
  }
  const summary = summaryLine(report);
  lines.push(report.ok ? c.green(summary) : c.red(summary));
  return `${lines.join('\n')}\n`;
}

function renderCheck(
  check: CheckReport,
  options: TextOptions,
  paint: Record<ReportedStatus, (s: string) => string>,
  c: InstanceType<typeof Chalk>,
  printedDetails: Map<string, string>,
): string[] {
  const lines = [`  ${paint[check.status](SYMBOLS[check.status])} ${check.title} ${c.dim(`(${check.id})`)}: ${check.message}`];
  const detailed = options.verbose || check.status === 'warn' || check.status === 'fail' || check.status === 'error';
  // A skip says how to make the check run (set an origin, pass --url); its evidence waits for --verbose.
  const evidence = detailed ? (check.evidence ?? []) : [];
  const fix = detailed || check.status === 'skip' ? (check.fix ?? []) : [];
  const docs = detailed ? check.docs : undefined;
  if (evidence.length + fix.length === 0 && !docs) return lines;
  const details = JSON.stringify([check.message, evidence, fix]);
  const sameAs = printedDetails.get(details);
  if (sameAs) return [...lines, c.dim(`      (details as for ${sameAs} above)`)];
  printedDetails.set(details, check.id);
  for (const item of evidence) lines.push(c.dim(`      ${item}`));
  for (const step of fix) lines.push(`      ${c.cyan('fix:')} ${step}`);
  if (docs) lines.push(c.dim(`      docs: ${docs}`));
  return lines;
}

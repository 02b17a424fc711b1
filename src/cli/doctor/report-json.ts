/** The machine report: exactly the documented schema, nothing else on stdout. */
import type { DoctorReport } from './types.js';

export function renderJson(report: DoctorReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

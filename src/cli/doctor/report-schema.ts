/**
 * The `--json` report's schema, written once in zod: the runtime validator,
 * and the source of report.schema.json (`z.toJSONSchema`), which a test keeps
 * in sync with the committed file.
 */
import { z } from 'zod';

const status = z.enum(['pass', 'warn', 'fail', 'skip', 'error']);
const category = z.enum(['configuration', 'security', 'network', 'streaming', 'protocol', 'code']);
const count = z.int().min(0);

const checkReportSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('Stable machine id of the check (use it to select checks: `doctor <id>`).'),
    title: z.string().describe('Human title of the check.'),
    category,
    status: status.describe('`error` means the check itself crashed or timed out.'),
    message: z.string().describe('One line saying what was found.'),
    evidence: z.array(z.string()).optional().describe('What was observed, one fact per entry. Never contains a secret.'),
    fix: z.array(z.string()).optional().describe('What to do, one step per entry.'),
    docs: z.string().optional().describe('A link to read more.'),
    durationMs: count.describe('How long the check ran.'),
  })
  .strict();

export const reportSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Bumped on any incompatible change to this shape.'),
    ok: z.boolean().describe('False when a check failed or crashed (or, with --strict, warned). Matches the exit code: ok → 0, otherwise 1.'),
    summary: z.object({ pass: count, warn: count, fail: count, skip: count, error: count }).strict(),
    checks: z.array(checkReportSchema),
    error: z
      .object({
        code: z.enum(['usage', 'no-project']).describe('`usage`: bad arguments; `no-project`: no project here and no --url.'),
        message: z.string().describe('What was wrong and how to fix it (also printed on stderr).'),
      })
      .strict()
      .optional()
      .describe('Present when doctor could not run at all: `checks` is then empty, `ok` is false and the exit code is 2.'),
  })
  .strict()
  .meta({ title: 'create-chatkit-backend doctor --json report' });

export function reportJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(reportSchema, { target: 'draft-2020-12' }), $id: 'https://github.com/create-chatkit-backend/schemas/doctor-report-v1.json' };
}

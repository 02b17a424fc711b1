/**
 * The --json report: the committed schema is the one the code generates, real
 * reports validate against it, and the validator rejects what the schema
 * forbids (so "validates" means something).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema, reportSchema } from '../../src/cli/doctor/report-schema.js';
import { renderText, summaryLine } from '../../src/cli/doctor/report-text.js';
import type { DoctorReport } from '../../src/cli/doctor/types.js';
import { validate } from './json-schema.js';
import { doctor, REPO } from './support.js';

const schema = JSON.parse(readFileSync(join(REPO, 'src/cli/doctor/report.schema.json'), 'utf8')) as Record<string, unknown>;

const sample: DoctorReport = {
  schemaVersion: 1,
  ok: false,
  summary: { pass: 1, warn: 1, fail: 1, skip: 0, error: 0 },
  checks: [
    { id: 'keys', title: 'Provider key', category: 'configuration', status: 'pass', message: 'ok', durationMs: 1 },
    { id: 'cors', title: 'CORS', category: 'network', status: 'fail', message: 'preflight refused', evidence: ['OPTIONS → 404'], fix: ['List the origin'], docs: 'https://example.test', durationMs: 12 },
    { id: 'streaming', title: 'Streaming', category: 'streaming', status: 'warn', message: 'no x-accel-buffering', durationMs: 900 },
  ],
};

describe('doctor report schema', () => {
  it('the committed report.schema.json is the one generated from the zod schema', () => {
    expect(schema).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it('doctor --schema prints the same schema', async () => {
    const { code, stdout } = await doctor(['--schema']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(schema);
  });

  it('docs/doctor.md documents the same schema', () => {
    const doc = readFileSync(join(REPO, 'docs/doctor.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## JSON schema'));
    const block = /```json\n([\s\S]*?)\n```/.exec(section)![1]!;
    expect(JSON.parse(block)).toEqual(schema);
    // The documented example is itself valid.
    const example = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)][1]![1]!;
    expect(validate(schema, JSON.parse(example))).toEqual([]);
  });

  it('accepts a well-formed report, in the validator and in zod', () => {
    expect(validate(schema, sample)).toEqual([]);
    expect(reportSchema.safeParse(sample).success).toBe(true);
  });

  it('rejects reports that break the contract', () => {
    const broken = (patch: (r: any) => void) => {
      const copy = structuredClone(sample) as any;
      patch(copy);
      return copy;
    };
    expect(validate(schema, broken((r) => (r.checks[0].status = 'ok')))).toEqual([expect.stringContaining('not in')]);
    expect(validate(schema, broken((r) => delete r.summary.error))).toEqual(['$.summary: missing error']);
    expect(validate(schema, broken((r) => (r.schemaVersion = 2)))).toEqual(['$.schemaVersion: expected 1']);
    expect(validate(schema, broken((r) => (r.checks[1].evidence = 'one string')))).toEqual(['$.checks[1].evidence: expected array, got string']);
    expect(validate(schema, broken((r) => (r.extra = true)))).toEqual(['$: unexpected property extra']);
    expect(validate(schema, broken((r) => (r.checks[0].id = 'Has Spaces')))).toEqual([expect.stringContaining('does not match')]);
  });
});

describe('text report', () => {
  it('groups by category with a symbol per check, shows evidence and fix only for problems, and ends with a summary', () => {
    const text = renderText(sample, { color: false });
    expect(text).toContain('Configuration\n  ✓ Provider key (keys): ok');
    expect(text).toContain('Network\n  ✗ CORS (cors): preflight refused\n      OPTIONS → 404\n      fix: List the origin');
    expect(text).toContain('  ⚠ Streaming (streaming): no x-accel-buffering');
    expect(text.indexOf('Configuration')).toBeLessThan(text.indexOf('Network'));
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 checks: 1 passed, 1 warning, 1 failed. Problems found.');
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('colours only when asked', () => {
    expect(renderText(sample, { color: true })).toMatch(/\u001b\[/);
  });

  it('says so when everything passed', () => {
    expect(summaryLine({ ...sample, ok: true, summary: { pass: 3, warn: 0, fail: 0, skip: 0, error: 0 } })).toBe('3 checks: 3 passed. No issues found.');
  });
});

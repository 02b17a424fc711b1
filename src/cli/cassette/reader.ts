/**
 * Reading a cassette: refuse it if it still holds a secret (before parsing, so a
 * secret in a malformed line is caught too), then validate every line.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CASSETTE_KIND, CASSETTE_VERSION, RERECORD_HINT, type Cassette, type CassetteHeader, type CassetteLine } from './format.js';
import { CassetteError } from './errors.js';
import { describeFindings, scanForSecrets, type SecretOptions } from './secrets.js';

const headerSchema = z.object({
  kind: z.literal(CASSETTE_KIND),
  version: z.number().int(),
  cliVersion: z.string(),
  recordedAt: z.string(),
  redactions: z.array(z.string()),
  note: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

const lineSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('request'), index: z.number().int().nonnegative(), type: z.string(), body: z.unknown() }),
  z.object({ kind: z.literal('event'), request: z.number().int(), t: z.number(), event: z.unknown() }),
  z.object({
    kind: z.literal('response'),
    request: z.number().int(),
    status: z.number().int(),
    streaming: z.boolean(),
    body: z.unknown().optional(),
  }),
  z.object({
    kind: z.literal('model'),
    call: z.number().int().nonnegative(),
    request: z.number().int().optional(),
    method: z.string(),
    path: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.unknown(),
    response: z.object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      chunks: z.array(z.object({ t: z.number(), data: z.string() })),
    }),
  }),
]);

/** What to do about a cassette that is not well-formed (usually hand-edited or cut short). */
const FIX = `fix it by hand, or re-record the session with \`${RERECORD_HINT}\``;

export async function readCassette(file: string, secretOptions: SecretOptions = {}): Promise<Cassette> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CassetteError(code === 'ENOENT' ? `${file}: no such cassette` : `${file}: cannot read (${code ?? String(error)})`);
  }
  return parseCassette(text, file, secretOptions);
}

function parseCassette(text: string, file: string, secretOptions: SecretOptions = {}): Cassette {
  const findings = scanForSecrets(text, secretOptions);
  if (findings.length > 0) throw new CassetteError(describeFindings(file, findings));

  const rawLines = text.split('\n');
  // [1-based line number, value] of each non-blank line, so errors can point at the line.
  const parsed: [number, unknown][] = [];
  rawLines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      parsed.push([index + 1, JSON.parse(raw)]);
    } catch {
      throw new CassetteError(`${file}:${index + 1}: not valid JSON (each line of a cassette is one JSON object); ${FIX}`);
    }
  });
  if (parsed.length === 0) throw new CassetteError(`${file}: empty cassette (expected a header line); ${FIX}`);

  const [headerLineNo, headerValue] = parsed[0]!;
  const header = headerSchema.safeParse(headerValue);
  if (!header.success) {
    throw new CassetteError(`${file}:${headerLineNo}: not a cassette header (${formatIssue(header.error)}); expected {"kind":"${CASSETTE_KIND}",…}; ${FIX}`);
  }
  if (header.data.version > CASSETTE_VERSION) {
    throw new CassetteError(`${file}: cassette format version ${header.data.version} is newer than this CLI supports (${CASSETTE_VERSION}); upgrade create-chatkit-backend`);
  }

  const lines: CassetteLine[] = [];
  for (const [lineNo, value] of parsed.slice(1)) {
    const line = lineSchema.safeParse(value);
    if (!line.success) throw new CassetteError(`${file}:${lineNo}: invalid cassette line (${formatIssue(line.error)}); ${FIX}`);
    lines.push(line.data as CassetteLine);
  }
  return { header: header.data as CassetteHeader, lines };
}

function formatIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  return `${path}: ${issue.message}`;
}

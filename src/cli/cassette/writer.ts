/**
 * Writing a cassette: every line goes through the redactor, the header lists the
 * redactions applied, and the final text is scanned once more; if anything still
 * looks like a secret the file is not written at all.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CASSETTE_KIND, CASSETTE_VERSION, serializeCassette, type Cassette, type CassetteLine } from './format.js';
import { CassetteError } from './errors.js';
import { Redactor } from './redact.js';
import { describeFindings, scanForSecrets, type SecretOptions } from './secrets.js';

export interface BuildCassetteOptions extends SecretOptions {
  cliVersion: string;
  recordedAt?: Date;
  note?: string;
  /** Recorded model settings (see CassetteHeader.env). */
  env?: Record<string, string>;
}

/** Redact raw lines into a cassette. Pure apart from the clock default. */
export function buildCassette(lines: readonly CassetteLine[], options: BuildCassetteOptions): Cassette {
  const redactor = new Redactor(options);
  const redacted = lines.map((line) => redactLine(line, redactor));
  return {
    header: {
      kind: CASSETTE_KIND,
      version: CASSETTE_VERSION,
      cliVersion: options.cliVersion,
      recordedAt: (options.recordedAt ?? new Date()).toISOString(),
      redactions: [...redactor.applied].sort(),
      ...(options.note ? { note: options.note } : {}),
      ...(options.env && Object.keys(options.env).length > 0 ? { env: redactor.value(options.env) } : {}),
    },
    lines: redacted,
  };
}

function redactLine(line: CassetteLine, redactor: Redactor): CassetteLine {
  if (line.kind !== 'model') return redactor.value(line);
  return {
    ...line,
    path: redactor.text(line.path),
    headers: redactor.headers(line.headers),
    body: redactor.value(line.body),
    response: {
      status: line.response.status,
      headers: redactor.headers(line.response.headers),
      chunks: line.response.chunks.map((chunk) => ({ t: chunk.t, data: redactor.text(chunk.data) })),
    },
  };
}

/** Serialize, scan, and write atomically (temp file + rename) so a reader never sees half a cassette. */
export async function writeCassette(file: string, cassette: Cassette, secretOptions: SecretOptions = {}): Promise<void> {
  const text = serializeCassette(cassette);
  const findings = scanForSecrets(text, secretOptions);
  if (findings.length > 0) throw new CassetteError(describeFindings(file, findings, 'not written'));
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, 'utf8');
  await rename(temp, file);
}

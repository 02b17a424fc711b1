/**
 * The npm spec written for the `create-chatkit-backend` dependency of a
 * generated project. `--runtime` takes anything `npm install` does; a local
 * path (`file:../x.tgz`, `../x.tgz`, `./checkout`) means a path from the
 * directory the user ran the command in, so it is rewritten relative to the
 * project, where npm will read it. An absolute path stays absolute: it names
 * the same file wherever the project is cloned or moved to.
 */
import { isAbsolute, relative } from 'node:path';
import npa from 'npm-package-arg';

export type RuntimeSpec =
  | { ok: true; spec: string; /** Absolute path for file and directory specs. */ localPath?: string }
  | { ok: false; problem: string };

export function resolveRuntimeSpec(given: string, { name, cwd, targetDir }: { name: string; cwd: string; targetDir: string }): RuntimeSpec {
  let parsed: npa.Result;
  try {
    parsed = npa.resolve(name, given, cwd);
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  if ((parsed.type === 'file' || parsed.type === 'directory') && parsed.fetchSpec) {
    if (isAbsolute(given.replace(/^file:/, ''))) return { ok: true, spec: `file:${parsed.fetchSpec}`, localPath: parsed.fetchSpec };
    const fromProject = relative(targetDir, parsed.fetchSpec).split('\\').join('/') || '.';
    return { ok: true, spec: `file:${fromProject}`, localPath: parsed.fetchSpec };
  }
  return { ok: true, spec: given };
}

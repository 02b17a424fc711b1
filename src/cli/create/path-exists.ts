/**
 * Whether anything (file, directory, link target) is at `path`. Any stat
 * failure counts as "not there": the callers then create it, and a real
 * permission problem surfaces from that write with its own message.
 */
import { stat } from 'node:fs/promises';

export async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

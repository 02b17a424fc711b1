/** Waiting on a Node response's socket, for both front doors' Node paths. */
import type { ServerResponse } from 'node:http';

/** Resolves when the response can take more (`drain`), or when the client is gone (`close`). */
export function drainOrClose(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * `dev` on a busy port moves to the next free one and says so (as Vite does),
 * rather than starting nothing. Probes by listening briefly on the host dev
 * will bind, which is what decides whether the app can listen there.
 */
import { createServer } from 'node:net';

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface PortChoice {
  port: number;
  /** The port asked for, when it was busy and another one was chosen. */
  busy?: number;
}

/** `preferred` when free, else the next free one of the following `attempts`; undefined when all are busy. */
export async function choosePort(preferred: number, host: string, attempts = 20): Promise<PortChoice | undefined> {
  if (preferred === 0) return { port: 0 };
  for (let port = preferred; port < Math.min(preferred + attempts, 65536); port++) {
    if (await canListen(port, host)) return port === preferred ? { port } : { port, busy: preferred };
  }
  return undefined;
}

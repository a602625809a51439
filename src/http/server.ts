import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import type { Gateway } from './yoga.js';

export interface RunningServer {
  server: Server;
  /** e.g. `http://127.0.0.1:4000` */
  url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (up to `graceMs`, default 10 s),
   * then closes what is left.
   */
  close(graceMs?: number): Promise<void>;
}

/** Listens with the gateway's fetch handler (or another node:http handler) on a node:http server. */
export async function listen(gateway: Gateway | RequestListener, opts: { port: number; host: string; log: Logger }): Promise<RunningServer> {
  const server = createServer('listener' in gateway ? gateway.listener : gateway);
  // Keep-alive sockets idle longer than a typical load balancer's, so it never reuses a socket we just closed.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.address === '::' || addr.address === '0.0.0.0' ? '127.0.0.1' : addr.address.includes(':') ? `[${addr.address}]` : addr.address;
  const url = `http://${host}:${addr.port}`;
  let closing: Promise<void> | undefined;
  return {
    server,
    url,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          opts.log.warn({ graceMs }, 'grace period over: closing remaining connections');
          server.closeAllConnections();
        }, graceMs);
        timer.unref();
        // A keep-alive socket goes idle once its in-flight response is sent; close it then, or
        // it would hold close() open until the keep-alive timeout.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(timer);
          clearInterval(sweep);
          resolve();
        });
      });
      return closing;
    },
  };
}

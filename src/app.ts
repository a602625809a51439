import type { Config } from './config/index.js';
import { startDemo, type Demo } from './demo/demo.js';
import { createGateway, type Gateway } from './http/yoga.js';
import { listen, type RunningServer } from './http/server.js';
import type { Logger } from './log.js';
import { createStore, type Store } from './store/index.js';

export interface App {
  /** Where the gateway listens, e.g. `http://127.0.0.1:4000`. */
  url: string;
  gateway: Gateway;
  store: Store;
  server: RunningServer;
  /** Present in demo mode: the emulated Zoho data centres. */
  demo: Demo | undefined;
  /** Graceful stop: stop accepting, finish in-flight requests, close the store and the demo. */
  close(): Promise<void>;
}

export interface AppOverrides {
  /** Listen on this port instead of config.server.port (0 picks a free one; tests use it). */
  port?: number;
  host?: string;
}

/** Wires config, store, (demo) and the Yoga gateway, and listens. */
export async function startApp(config: Config, log: Logger, overrides: AppOverrides = {}): Promise<App> {
  const store = createStore(config.store.url, {});
  const demo = config.demo ? await startDemo(log) : undefined;
  const gateway = createGateway({
    log,
    dataCentres: Object.values(config.zoho.dataCentres),
    ready: () => store.ping(),
  });
  const server = await listen(gateway, { port: overrides.port ?? config.server.port, host: overrides.host ?? config.server.host, log });
  log.info({ url: server.url, store: config.store.kind, demo: config.demo }, 'gateway listening');
  let closing: Promise<void> | undefined;
  return {
    url: server.url,
    gateway,
    store,
    server,
    demo,
    close() {
      closing ??= (async () => {
        await server.close();
        await store.close();
        await demo?.close();
        log.info('gateway stopped');
      })();
      return closing;
    },
  };
}

import { startApp } from './app.js';
import { configFromEnvOrExit } from './config/index.js';
import { createLogger, flushLogs } from './log.js';

const config = configFromEnvOrExit();
const log = createLogger({ level: config.logLevel });

const app = await startApp(config, log);

if (config.demo) {
  const lines = [
    '',
    '  Zoho CRM GraphQL gateway — demo mode (no ZOHO_CLIENT_ID set)',
    `  GraphiQL:  ${config.server.publicUrl}/graphql   (the Authorization header is filled in)`,
    `  Emulated Zoho data centres: us ${app.demo!.dataCentres.us.url}, eu ${app.demo!.dataCentres.eu.url}`,
    ...(app.demo!.token
      ? [
          '  Tenant "demo" is connected to the emulated us data centre. Its bearer token (all scopes, 7 days):',
          '',
          `  ${app.demo!.token}`,
          '',
          '  curl example:',
          `  curl -s ${config.server.publicUrl}/graphql -H 'content-type: application/json' \\`,
          `    -H 'authorization: Bearer ${app.demo!.token}' -d '{"query":"{ me { email } organization { name } }"}'`,
        ]
      : ['  Tenant "demo" is connected; JWT_SECRET is not set, so mint its token with your own issuer (tid: demo).']),
    '  Set ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET to connect real Zoho accounts (see README).',
    '',
  ];
  // After the startup lines the logger still holds, not between them.
  await flushLogs(log);
  process.stdout.write(`${lines.join('\n')}\n`);
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // The log is written asynchronously: flush it before exiting (the exit hook would flush what
    // is left synchronously, but a stop should not rely on the last resort).
    app.close().then(
      () => flushLogs(log).then(() => process.exit(0)),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        void flushLogs(log).then(() => process.exit(1));
      },
    );
  });
}

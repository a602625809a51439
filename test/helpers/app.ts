import { Writable } from 'node:stream';
import { startApp, type App } from '../../src/app.js';
import { loadConfig, type Env } from '../../src/config/index.js';
import { createLogger } from '../../src/log.js';

/** Everything the gateway logged during a test, as raw JSON lines. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** Starts the real gateway on a free loopback port with the given environment. */
export async function startTestApp(env: Env = {}): Promise<{ app: App; logs: LogCapture }> {
  const config = loadConfig({ LOG_LEVEL: 'debug', ...env });
  const logs = new LogCapture();
  const app = await startApp(config, createLogger({ level: config.logLevel, destination: logs }), { port: 0, host: '127.0.0.1' });
  return { app, logs };
}

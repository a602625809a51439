import { afterEach, describe, expect, it, vi } from 'vitest';
import { schema as genericSchema } from '../../src/graphql/schema/index.js';
import { createLogger } from '../../src/log.js';
import { MetadataService } from '../../src/records/metadata.js';
import { createStore } from '../../src/store/index.js';
import { TypedSchemas } from '../../src/typed/registry.js';

/**
 * How long the first request of a connection waits for its build: SCHEMA_BUILD_WAIT_MS, 1.5 s by
 * default, then the generic schema (never an error). Fake timers, so the bound is counted, not
 * measured: the harness tests only show that a held build ends in the generic schema, which a
 * wait far longer than the bound would show too.
 */
describe('the first request’s wait for its build', () => {
  afterEach(() => vi.useRealTimers());

  function stuckRegistry(settings: { waitMs?: number } = {}) {
    let calls = 0;
    const typed = new TypedSchemas({
      base: genericSchema,
      store: createStore('memory://'),
      // Zoho's metadata never answers while the test runs.
      call: () => {
        calls++;
        return new Promise<never>(() => {});
      },
      metadata: new MetadataService(),
      log: createLogger({ level: 'silent' }),
      settings,
    });
    return { typed, calls: () => calls };
  }

  async function answeredAfter(typed: TypedSchemas): Promise<{ at: number; choice: Awaited<ReturnType<TypedSchemas['forConnection']>> }> {
    let choice: Awaited<ReturnType<TypedSchemas['forConnection']>> | undefined;
    void typed.forConnection('acme', 'default').then((c) => (choice = c));
    for (let at = 0; at <= 10_000; at += 100) {
      if (choice) return { at, choice };
      await vi.advanceTimersByTimeAsync(100);
    }
    throw new Error('never answered');
  }

  it('answers on the generic schema once 1.5 s (the default) have passed, not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { typed, calls } = stuckRegistry();
    const { at, choice } = await answeredAfter(typed);
    expect(at).toBe(1_500);
    expect(choice.hash).toBeNull();
    expect(choice.schema).toBe(genericSchema);
    expect(calls()).toBeGreaterThan(0);
  });

  it('waits SCHEMA_BUILD_WAIT_MS when set', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { typed } = stuckRegistry({ waitMs: 300 });
    const { at, choice } = await answeredAfter(typed);
    expect(at).toBe(300);
    expect(choice.hash).toBeNull();
  });
});

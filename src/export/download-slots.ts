/**
 * Export downloads in flight, per tenant and in all, on this instance. A download holds an
 * upstream connection for as long as its client reads (minutes for a large export), so a tenant
 * may have only a few at once and the instance only as many as its bulk pool has connections
 * (ZohoClientOptions.bulkConnections). Counted in this process, not in the store: a download's end
 * is a socket closing here, which a shared counter would learn late or not at all after a crash.
 * N instances thus admit N times the per-tenant figure (docs/export.md says so).
 */

export type SlotRefusal = { refused: 'tenant' | 'instance'; limit: number };

export class DownloadSlots {
  private readonly perTenant = new Map<string, number>();
  private total = 0;

  /** `maxTotal`: downloads on this instance; `maxPerTenant`: downloads of one tenant on it. */
  constructor(
    readonly maxTotal: number,
    readonly maxPerTenant: number,
  ) {}

  /** A slot for one download of `tenantId` (its release function, safe to call twice), or why not. */
  tryAcquire(tenantId: string): (() => void) | SlotRefusal {
    const mine = this.perTenant.get(tenantId) ?? 0;
    if (mine >= this.maxPerTenant) return { refused: 'tenant', limit: this.maxPerTenant };
    if (this.total >= this.maxTotal) return { refused: 'instance', limit: this.maxTotal };
    this.perTenant.set(tenantId, mine + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const n = (this.perTenant.get(tenantId) ?? 1) - 1;
      if (n <= 0) this.perTenant.delete(tenantId);
      else this.perTenant.set(tenantId, n);
    };
  }

  /** Downloads in flight of `tenantId` (or all, without one) on this instance. */
  active(tenantId?: string): number {
    return tenantId === undefined ? this.total : (this.perTenant.get(tenantId) ?? 0);
  }
}

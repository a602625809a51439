import { GatewayError } from '../errors.js';
import { isZohoApiName, isZohoId } from '../zoho/identifiers.js';
import type { ZohoFetch } from '../zoho/client.js';
import type { FieldMeta, MetadataService, ModuleMeta } from './metadata.js';

export function assertApiName(value: string, argument: string): void {
  if (!isZohoApiName(value)) throw new GatewayError('BAD_USER_INPUT', `${argument} "${value.slice(0, 60)}" is not a Zoho api name`, { argument });
}

export function assertRecordId(value: string, argument = 'id'): void {
  if (!isZohoId(value)) throw new GatewayError('BAD_USER_INPUT', `${argument} must be a Zoho record id (up to 19 digits)`, { argument });
}

/** Per-request view of metadata for one connection, with validation that names what is wrong. */
export class Metadata {
  constructor(
    private readonly service: MetadataService,
    private readonly connectionKey: string,
    private readonly fetch: ZohoFetch,
  ) {}

  modules(): Promise<ModuleMeta[]> {
    return this.service.modules(this.connectionKey, this.fetch);
  }

  /** The module, or BAD_USER_INPUT / ZOHO_INVALID_MODULE naming a near miss. */
  async module(apiName: string): Promise<ModuleMeta> {
    assertApiName(apiName, 'module');
    const all = await this.modules();
    const found = all.find((m) => m.apiName === apiName);
    if (found) return found;
    const near = all.find((m) => m.apiName.toLowerCase() === apiName.toLowerCase());
    throw new GatewayError('ZOHO_INVALID_MODULE', `module "${apiName}" does not exist in this CRM org${near ? `; did you mean "${near.apiName}"?` : ''}`, {
      module: apiName,
    });
  }

  async fields(module: string): Promise<FieldMeta[]> {
    await this.module(module);
    return this.service.fields(this.connectionKey, module, this.fetch);
  }

  /** Checks every name against the module's fields; BAD_USER_INPUT lists the unknown ones. */
  async checkFields(module: string, names: readonly string[]): Promise<FieldMeta[]> {
    for (const n of names) assertApiName(n, 'field');
    const fields = await this.fields(module);
    const byName = new Map(fields.map((f) => [f.apiName, f]));
    const unknown = names.filter((n) => n !== 'id' && !byName.has(n));
    if (unknown.length) {
      throw new GatewayError('BAD_USER_INPUT', `unknown field${unknown.length > 1 ? 's' : ''} in ${module}: ${unknown.join(', ')} (see fields(module: "${module}"))`, {
        module,
        fields: unknown,
      });
    }
    return names.filter((n) => n !== 'id').map((n) => byName.get(n)!);
  }

  /** The module a lookup field points to; BAD_USER_INPUT when the field is not a lookup. */
  async lookupTarget(module: string, field: string): Promise<string> {
    const [meta] = await this.checkFields(module, [field]);
    if (!meta!.lookupModule) throw new GatewayError('BAD_USER_INPUT', `${module}.${field} is not a lookup field (it is ${meta!.dataType})`, { module, field });
    return meta!.lookupModule;
  }
}

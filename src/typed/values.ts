import type { TypedModule } from './shape.js';

/** An instant (epoch ms) as Zoho writes date-times in COQL and record bodies: `2026-01-31T09:30:00+00:00`. */
export function zohoDateTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/**
 * Whether a COQL select may name the field. Subform rows are not COQL columns (the emulator refuses
 * them as Zoho documents no way to; they are read by id through the records loader instead).
 */
export function coqlSelectable(m: TypedModule, apiName: string): boolean {
  const f = m.fields.find((x) => x.apiName === apiName);
  return f !== undefined && f.kind !== 'subform';
}

/**
 * A CSV cell of Zoho's Bulk Read result as a JSON value, by the field's data type (from
 * /settings/fields at the export's start): numbers as numbers, booleans as booleans, multi-select
 * picklists as arrays, an empty cell as null, everything else as the string Zoho wrote. `bigint`
 * stays a string (19-digit ids exceed JSON's safe integers), and so do lookups: the CSV holds the
 * related record's id (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/download-result.html;
 * other columns of the related record are asked for as `Lookup.Field`). Date-times stay Zoho's
 * ISO 8601 strings. UNVERIFIED: multi-select values joined with `;` in the CSV.
 */

const NUMBERS = new Set(['integer', 'double', 'currency', 'decimal', 'percent', 'autonumber_numeric']);

export function typedValue(cell: string, dataType: string | undefined): unknown {
  if (cell === '') return null;
  switch (dataType) {
    case 'boolean':
      return cell === 'true' ? true : cell === 'false' ? false : cell;
    case 'multiselectpicklist':
      return cell.split(';');
    default: {
      if (dataType !== undefined && NUMBERS.has(dataType)) {
        const n = Number(cell);
        return Number.isFinite(n) ? n : cell;
      }
      return cell;
    }
  }
}

/** The type a column's values are read as: a formula's return type, else the field's own. */
export function columnType(field: { dataType: string; formulaReturnType: string | null }): string {
  return field.dataType === 'formula' && field.formulaReturnType ? field.formulaReturnType : field.dataType;
}

/**
 * A streaming CSV reader (RFC 4180): fields separated by commas, records by CRLF or LF, a quoted
 * field may hold commas, line breaks and doubled quotes (`""` → `"`). It keeps only the record
 * being read, so a file of any size passes through in constant memory. Zoho's Bulk Read CSV:
 * header row of field api names, then one row per record
 * (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/download-result.html).
 *
 * The upstream is not trusted with memory: a field, a record and the columns of a record are
 * capped (CSV_LIMITS), so a small ZIP inflating to one huge cell, or a quote never closed, is
 * refused with CsvFormatError after a bounded read rather than held whole.
 */

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

export interface CsvLimits {
  /** Longest field, in UTF-16 code units (far above Zoho's longest text fields, 32,000 characters for a text area). */
  maxFieldChars: number;
  /** Longest record, all its fields together, in UTF-16 code units. */
  maxRowChars: number;
  /** Columns a record may have beyond the header's (a lenient margin; the header itself at most maxHeaderColumns). */
  extraColumns: number;
  /** Columns of the first row (the header). */
  maxHeaderColumns: number;
}

export const CSV_LIMITS: CsvLimits = { maxFieldChars: 1 << 20, maxRowChars: 4 << 20, extraColumns: 4, maxHeaderColumns: 2_000 };

export async function* csvRows(chunks: AsyncIterable<Buffer>, limits: CsvLimits = CSV_LIMITS): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let row: string[] = [];
  let rowChars = 0;
  let maxColumns = limits.maxHeaderColumns;
  let header = true;
  let field = '';
  let quoted = false;
  /** Inside quotes, the last character was a quote: either the closing one or half of `""`. */
  let quoteSeen = false;
  /** The last character ended a record with CR: an LF right after it belongs to it. */
  let afterCr = false;
  let fieldStarted = false;
  let bom = true;
  let rowNumber = 1;

  /** Adds a piece to the field being read, within the field's and the record's caps. */
  const append = (piece: string) => {
    if (piece === '') return;
    field += piece;
    if (field.length > limits.maxFieldChars) throw new CsvFormatError(`record ${rowNumber}: a field longer than ${limits.maxFieldChars} characters`);
    if (rowChars + field.length > limits.maxRowChars) throw new CsvFormatError(`record ${rowNumber}: longer than ${limits.maxRowChars} characters`);
  };
  const endField = () => {
    if (row.length >= maxColumns) throw new CsvFormatError(`record ${rowNumber}: more than ${maxColumns} columns`);
    row.push(field);
    rowChars += field.length;
    field = '';
    fieldStarted = false;
  };
  const endRow = (out: string[][]) => {
    out.push(row);
    if (header) {
      header = false;
      maxColumns = row.length + limits.extraColumns;
    }
    row = [];
    rowChars = 0;
    rowNumber++;
  };

  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (bom && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      bom = false;
    }
    const out: string[][] = [];
    /** Where the piece of the current field not yet appended starts in `text`. */
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            append('"');
            start = i + 1;
            continue;
          }
          quoted = false; // that quote closed the field; fall through to read `c` unquoted
          start = i;
        } else if (c === '"') {
          append(text.slice(start, i));
          quoteSeen = true;
          continue;
        } else continue;
      }
      if (afterCr) {
        afterCr = false;
        if (c === '\n') {
          start = i + 1;
          continue;
        }
      }
      if (c === '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
        start = i + 1;
        continue;
      }
      if (c === ',') {
        append(text.slice(start, i));
        endField();
        start = i + 1;
      } else if (c === '\r' || c === '\n') {
        append(text.slice(start, i));
        endField();
        endRow(out);
        afterCr = c === '\r';
        start = i + 1;
      } else {
        // A quote inside an unquoted field is kept as is (lenient, like most readers).
        fieldStarted = true;
      }
    }
    if (!quoteSeen) append(text.slice(start));
    for (const r of out) yield r;
  }
  const rest = decoder.decode();
  if (rest) append(rest);
  if (quoted && !quoteSeen) throw new CsvFormatError('the CSV ends inside a quoted field');
  if (fieldStarted || field !== '' || row.length > 0) {
    endField();
    yield row;
  }
}

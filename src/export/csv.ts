/**
 * A streaming CSV reader (RFC 4180): fields separated by commas, records by CRLF or LF, a quoted
 * field may hold commas, line breaks and doubled quotes (`""` → `"`). It keeps only the record
 * being read, so a file of any size passes through in constant memory (one field can be as long as
 * Zoho makes it). Zoho's Bulk Read CSV: header row of field api names, then one row per record
 * (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/download-result.html).
 */

export class CsvFormatError extends Error {
  override readonly name = 'CsvFormatError';
}

export async function* csvRows(chunks: AsyncIterable<Buffer>): AsyncGenerator<string[]> {
  const decoder = new TextDecoder('utf-8');
  let row: string[] = [];
  let field = '';
  let quoted = false;
  /** Inside quotes, the last character was a quote: either the closing one or half of `""`. */
  let quoteSeen = false;
  /** The last character ended a record with CR: an LF right after it belongs to it. */
  let afterCr = false;
  let fieldStarted = false;
  let bom = true;

  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };

  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (bom && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      bom = false;
    }
    const out: string[][] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === '"') {
            field += '"';
            start = i + 1;
            continue;
          }
          quoted = false; // that quote closed the field; fall through to read `c` unquoted
        } else if (c === '"') {
          field += text.slice(start, i);
          quoteSeen = true;
          continue;
        } else continue;
      }
      if (afterCr) {
        afterCr = false;
        if (c === '\n') continue;
      }
      if (c === '"' && !fieldStarted) {
        quoted = true;
        fieldStarted = true;
        start = i + 1;
        continue;
      }
      if (c === ',') {
        endField();
      } else if (c === '\r' || c === '\n') {
        endField();
        out.push(row);
        row = [];
        afterCr = c === '\r';
      } else {
        // A quote inside an unquoted field is kept as is (lenient, like most readers).
        field += c;
        fieldStarted = true;
      }
    }
    if (quoted && !quoteSeen) field += text.slice(start);
    for (const r of out) yield r;
  }
  const rest = decoder.decode();
  if (rest) field += rest;
  if (quoted && !quoteSeen) throw new CsvFormatError('the CSV ends inside a quoted field');
  if (fieldStarted || field !== '' || row.length > 0) {
    endField();
    yield row;
  }
}

import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvRows } from '../../src/export/csv.js';
import { firstZipEntry, ZipFormatError } from '../../src/export/unzip.js';
import { zipOneFile } from '../../src/emulator/zip.js';

/** Splits `buf` into chunks of the given sizes (cycling), as a network might deliver it. */
async function* chunked(buf: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < buf.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield buf.subarray(at, at + n);
    at += n;
  }
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const TRICKY = 'id,Name,Note\r\n1,plain,"with, comma"\r\n2,"say ""hi""","line\r\nbreak"\n3,"",\r\n4,"a""",ü€𝄞\r\n';
const ROWS = [
  ['id', 'Name', 'Note'],
  ['1', 'plain', 'with, comma'],
  ['2', 'say "hi"', 'line\r\nbreak'],
  ['3', '', ''],
  ['4', 'a"', 'ü€𝄞'],
];

describe('streaming CSV reader', () => {
  it('reads quotes, doubled quotes, separators and line breaks inside quotes, CRLF and LF, at every chunk boundary', async () => {
    const bytes = Buffer.from(TRICKY, 'utf8');
    for (const sizes of [[bytes.length], [1], [2], [3], [5, 1, 7], [13]]) {
      expect(await collect(csvRows(chunked(bytes, sizes))), `chunks of ${sizes.join('/')}`).toEqual(ROWS);
    }
  });

  it('reads a last record without a line break, and skips a byte-order mark', async () => {
    expect(await collect(csvRows(chunked(Buffer.from('\uFEFFa,b\r\n1,"x"', 'utf8'), [1])))).toEqual([
      ['a', 'b'],
      ['1', 'x'],
    ]);
  });

  it('refuses a file that ends inside a quoted field', async () => {
    await expect(collect(csvRows(chunked(Buffer.from('a\r\n"open', 'utf8'), [3])))).rejects.toThrow(/inside a quoted field/);
  });
});

/** A ZIP whose local header carries CRC and sizes (no data descriptor), as many writers make it. */
function sizedZip(name: string, content: Buffer, method: 0 | 8): Buffer {
  const data = method === 8 ? deflateRawSync(content) : content;
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(method, 8);
  h.writeUInt32LE(crc32(content) >>> 0, 14);
  h.writeUInt32LE(data.length, 18);
  h.writeUInt32LE(content.length, 22);
  h.writeUInt16LE(Buffer.byteLength(name), 26);
  // A central directory would follow; the reader must stop before it.
  return Buffer.concat([h, Buffer.from(name), data, Buffer.from('PK\x01\x02 directory bytes that are not CSV')]);
}

describe('streaming ZIP entry reader', () => {
  const content = Buffer.from(TRICKY.repeat(500), 'utf8');

  it('reads the emulator’s ZIP (deflate, data descriptor) at every chunk size', async () => {
    const zip = Buffer.concat(await collect(zipOneFile('x.csv', [content.subarray(0, 1000), content.subarray(1000)])));
    for (const sizes of [[zip.length], [1], [7, 300], [4096]]) {
      expect(Buffer.concat(await collect(firstZipEntry(chunked(zip, sizes))))).toEqual(content);
    }
  });

  it('reads entries with sizes in the local header, deflated or stored, and nothing after them', async () => {
    for (const method of [8, 0] as const) {
      const zip = sizedZip('Leads.csv', content, method);
      expect(Buffer.concat(await collect(firstZipEntry(chunked(zip, [9, 1000]))))).toEqual(content);
    }
  });

  it('refuses what is not a ZIP', async () => {
    await expect(collect(firstZipEntry(chunked(Buffer.from('{"code":"INTERNAL_ERROR","details":{},"status":"error"}'), [5])))).rejects.toBeInstanceOf(ZipFormatError);
  });
});

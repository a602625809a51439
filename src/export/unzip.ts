import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

/**
 * The content of the first file in a ZIP, read as a stream: Zoho's Bulk Read result is "a ZIP file
 * containing the CSV" (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/download-result.html),
 * one file. Only the local file header is parsed (PKWARE APPNOTE.TXT 4.3.7): its name and extra
 * field are skipped and the data that follows is inflated (method 8, deflate) or passed through
 * (method 0, stored). Sizes in the header are used when present; with general-purpose bit 3 (sizes in a
 * data descriptor after the data) the end of the deflate stream marks the end, and what follows
 * (descriptor, central directory) is never read into the output. Memory: one chunk at a time.
 */

const LOCAL = 0x04034b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;

export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

export async function* firstZipEntry(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  const more = async (): Promise<boolean> => {
    const next = await it.next();
    if (next.done) return false;
    head = Buffer.concat([head, Buffer.from(next.value)]);
    return true;
  };
  while (head.length < 30) if (!(await more())) throw new ZipFormatError('the result is not a ZIP (shorter than a local file header)');
  if (head.readUInt32LE(0) !== LOCAL) throw new ZipFormatError('the result is not a ZIP (no local file header)');
  const flags = head.readUInt16LE(6);
  const method = head.readUInt16LE(8);
  const declared = head.readUInt32LE(18);
  const skip = 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (flags & FLAG_ENCRYPTED) throw new ZipFormatError('the ZIP entry is encrypted');
  if (method !== 8 && method !== 0) throw new ZipFormatError(`unsupported ZIP compression method ${method}`);
  const sized = !(flags & FLAG_DESCRIPTOR) || declared !== 0;
  if (method === 0 && !sized) throw new ZipFormatError('a stored ZIP entry without sizes');
  while (head.length < skip) if (!(await more())) throw new ZipFormatError('the ZIP ends inside its local file header');
  const first = head.subarray(skip);

  /** The compressed bytes, cut at the declared size when the header gives one. */
  async function* compressed(): AsyncGenerator<Buffer> {
    let left = sized ? declared : Infinity;
    const take = (c: Buffer) => {
      const part = c.length > left ? c.subarray(0, left) : c;
      left -= part.length;
      return part;
    };
    if (first.length) yield take(first);
    while (left > 0) {
      const next = await it.next();
      if (next.done) {
        if (sized) throw new ZipFormatError('the ZIP ends inside its entry');
        return;
      }
      yield take(Buffer.from(next.value));
    }
    // Stop reading the source (the HTTP body): the rest is the directory.
    await it.return?.();
  }

  if (method === 0) {
    try {
      yield* compressed();
    } finally {
      await it.return?.();
    }
    return;
  }
  const inflate = createInflateRaw();
  const input = Readable.from(compressed());
  input.on('error', (err) => inflate.destroy(err));
  try {
    // Past the end of the deflate stream (bit 3: descriptor and directory follow) zlib drops the rest.
    for await (const chunk of input.pipe(inflate)) yield chunk as Buffer;
  } finally {
    // Also when the reader stops early (a client that went away): release the HTTP body now
    // rather than when its socket times out.
    input.destroy();
    await it.return?.();
  }
}

import { crc32, createDeflateRaw } from 'node:zlib';

/**
 * A ZIP archive holding one file, written as a stream: Zoho's Bulk Read result is "a ZIP file
 * containing the CSV" (https://www.zoho.com/crm/developer/docs/api/v8/bulk-read/download-result.html).
 * Layout from PKWARE's APPNOTE.TXT (sections 4.3.7 local file header, 4.3.9 data descriptor,
 * 4.3.12 central directory header, 4.3.16 end of central directory): the entry is deflated
 * (method 8) with general-purpose bit 3 set, so CRC-32 and sizes follow the data in a data
 * descriptor and nothing has to be buffered. No ZIP64: an entry stays under 4 GiB here.
 * UNVERIFIED: whether Zoho's own archives use a data descriptor or sizes in the local header;
 * a reader must accept both (src/export/unzip.ts does).
 */

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
const DEFLATE = 8;
const VERSION = 20;

/** MS-DOS time and date of `at` (the ZIP header format), local fields in UTC. */
function dosTime(at: Date): { time: number; date: number } {
  return {
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | Math.floor(at.getUTCSeconds() / 2),
    date: ((Math.max(1980, at.getUTCFullYear()) - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
  };
}

/** Yields the bytes of a ZIP holding `name` with the content `chunks` yields (deflated as it goes). */
export async function* zipOneFile(name: string, chunks: AsyncIterable<Buffer> | Iterable<Buffer>, at = new Date()): AsyncGenerator<Buffer> {
  const nameBytes = Buffer.from(name, 'utf8');
  const { time, date } = dosTime(at);
  const flags = FLAG_DESCRIPTOR | FLAG_UTF8;
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL, 0);
  local.writeUInt16LE(VERSION, 4);
  local.writeUInt16LE(flags, 6);
  local.writeUInt16LE(DEFLATE, 8);
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  // CRC-32 and sizes are zero here: they come in the data descriptor (bit 3).
  local.writeUInt16LE(nameBytes.length, 26);
  yield Buffer.concat([local, nameBytes]);

  let crc = 0;
  let size = 0;
  let compressed = 0;
  const deflate = createDeflateRaw();
  // The source is fed only as fast as the deflated bytes are taken: a write past the stream's
  // buffer waits for 'drain', and the compressed side is read (below) only when our caller asks
  // for the next chunk, so a reader that stops stops the source too (APPNOTE says nothing of
  // pacing; this is ours: the emulator runs inside the gateway in demo mode).
  const feed = (async () => {
    for await (const chunk of chunks) {
      if (deflate.destroyed) return; // our caller stopped reading: leave the source (its return() runs)
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (!deflate.write(chunk)) {
        await new Promise<void>((r) => {
          const done = () => {
            deflate.off('drain', done);
            deflate.off('close', done);
            r();
          };
          deflate.on('drain', done);
          deflate.on('close', done);
        });
        if (deflate.destroyed) return;
      }
    }
    deflate.end();
  })();
  feed.catch((e: unknown) => deflate.destroy(e instanceof Error ? e : new Error(String(e))));
  try {
    for await (const c of deflate as AsyncIterable<Buffer>) {
      compressed += c.length;
      yield c;
    }
  } finally {
    deflate.destroy();
  }
  await feed;

  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(DESCRIPTOR, 0);
  descriptor.writeUInt32LE(crc >>> 0, 4);
  descriptor.writeUInt32LE(compressed, 8);
  descriptor.writeUInt32LE(size, 12);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL, 0);
  central.writeUInt16LE(VERSION, 4);
  central.writeUInt16LE(VERSION, 6);
  central.writeUInt16LE(flags, 8);
  central.writeUInt16LE(DEFLATE, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(crc >>> 0, 16);
  central.writeUInt32LE(compressed, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(nameBytes.length, 28);
  // Local header offset: 0 (the only entry).
  const centralOffset = 30 + nameBytes.length + compressed + descriptor.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + nameBytes.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  yield Buffer.concat([descriptor, central, nameBytes, end]);
}

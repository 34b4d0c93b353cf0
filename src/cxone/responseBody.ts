/**
 * Reading a response body with a byte cap: a hostile or broken server can send a body of any size,
 * and reading it whole would take memory without bound. Past the cap the body is abandoned (the
 * stream is destroyed, which closes the connection) and the caller learns it was cut off.
 */
import type { Readable } from 'node:stream';

/** A body as read: its text, or `truncated` when it was longer than the cap. */
export interface CappedBody {
  text: string;
  truncated: boolean;
}

/**
 * Read `stream` as UTF-8 up to `maxBytes`. A `Content-Length` above the cap ends the read before
 * any byte is taken.
 */
export async function readCappedBody(
  stream: Readable,
  maxBytes: number,
  contentLength: string | undefined,
): Promise<CappedBody> {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (Number.isFinite(declared) && declared > maxBytes) {
    stream.destroy();
    return { text: '', truncated: true };
  }
  // Events rather than `for await`: the async iterator costs a promise per chunk and answers
  // noticeably later under load, which delays reacting to a 429.
  return new Promise<CappedBody>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    stream.on('data', (chunk: Buffer | string) => {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      bytes += buffer.length;
      if (bytes > maxBytes) {
        stream.removeAllListeners('data');
        stream.destroy();
        resolve({ text: '', truncated: true });
        return;
      }
      chunks.push(buffer);
    });
    stream.once('end', () =>
      resolve({ text: Buffer.concat(chunks, bytes).toString('utf8'), truncated: false }),
    );
    stream.once('error', reject);
  });
}

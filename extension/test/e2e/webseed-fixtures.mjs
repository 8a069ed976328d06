// A web seed (BEP 19) for the detail-page E2E in Chromium (views.test.mjs) and Firefox (firefox.test.mjs):
// one file served with HTTP range requests from 127.0.0.1, and a .torrent whose url-list names it beside an
// entry the helper must refuse, so the page shows one seed in use and one dropped with its reason.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const PIECE_LENGTH = 65536;

/** Bencodes strings, Buffers, integers, lists and dictionaries (keys sorted as BEP 3 requires). */
function bencode(v) {
  if (Buffer.isBuffer(v)) return Buffer.concat([Buffer.from(`${v.length}:`), v]);
  if (typeof v === 'string') return bencode(Buffer.from(v, 'utf8'));
  if (Number.isInteger(v)) return Buffer.from(`i${v}e`);
  if (Array.isArray(v)) return Buffer.concat([Buffer.from('l'), ...v.map(bencode), Buffer.from('e')]);
  const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return Buffer.concat([Buffer.from('d'), ...keys.flatMap((k) => [bencode(k), bencode(v[k])]), Buffer.from('e')]);
}

/** Serves `body` at `/${name}`, answering `Range: bytes=a-b` with 206 as a mirror does (RFC 9110 §14). */
async function serveRanges(name, body) {
  const server = createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname !== `/${name}`) { res.writeHead(404).end(); return; }
    const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (!m) { res.writeHead(200, { 'Content-Length': body.length }).end(body); return; }
    const first = Number(m[1]);
    const last = Math.min(m[2] === '' ? body.length - 1 : Number(m[2]), body.length - 1);
    if (first > last) { res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end(); return; }
    res.writeHead(206, { 'Content-Range': `bytes ${first}-${last}/${body.length}`, 'Content-Length': last - first + 1 })
      .end(body.subarray(first, last + 1));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/**
 * Starts the mirror and makes the torrent: 1 MiB of derived (not random) bytes in 64 KiB pieces. The second
 * url-list entry is not http(s), which the helper shows as a dropped web seed.
 */
export async function startWebSeed() {
  const name = 'mirrored.bin';
  const body = Buffer.alloc(1 << 20);
  for (let i = 0; i < body.length; i++) body[i] = (i * 7 + (i >> 12)) & 0xff;
  const server = await serveRanges(name, body);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const pieces = [];
  for (let at = 0; at < body.length; at += PIECE_LENGTH) {
    pieces.push(createHash('sha1').update(body.subarray(at, at + PIECE_LENGTH)).digest());
  }
  const info = { length: body.length, name, 'piece length': PIECE_LENGTH, pieces: Buffer.concat(pieces) };
  const torrent = bencode({ info, 'url-list': [`${origin}/${name}`, 'ftp://127.0.0.1/mirrored.bin'] });
  const infoHash = createHash('sha1').update(bencode(info)).digest('hex');
  return { server, name, body, torrent, infoHash, host: new URL(origin).host };
}

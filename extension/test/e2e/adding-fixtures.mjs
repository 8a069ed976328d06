// Fixtures shared by the adding E2E in Chromium (adding.test.mjs) and Firefox (firefox-adding.test.mjs).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { REPO } from './harness.mjs';

/**
 * The .torrent with an announce URL put in front (BEP 3: "announce" sorts before every other key a
 * creator writes, so the dictionary stays sorted; the info dictionary, and so the info-hash, is untouched).
 */
export function withAnnounce(torrent, announce) {
  assert.equal(torrent[0], 0x64, 'a bencoded dictionary');
  return Buffer.concat([Buffer.from(`d8:announce${Buffer.byteLength(announce)}:${announce}`), torrent.subarray(1)]);
}

/**
 * One 127.0.0.1 server for the pages and .torrent files in `routes` (filled in later) and the tracker,
 * which names the seeder (compact peers, BEP 23).
 */
export async function serveSite(routes, seederPort) {
  const server = createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    if (pathname === '/announce') {
      const peer = Buffer.from([127, 0, 0, 1, seederPort >> 8, seederPort & 0xff]);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(Buffer.concat([Buffer.from('d8:intervali60e5:peers6:'), peer, Buffer.from('e')]));
      return;
    }
    const route = routes[pathname];
    if (!route) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': route.type }).end(route.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}


/**
 * A libtorrent seeder of a two-file torrent on 127.0.0.1: first.bin (256 KiB, four whole 64 KiB pieces,
 * so no piece of the second file is needed for it) and second.bin.
 */
export async function startTwoFileSeeder(root) {
  const two = path.join(root, 'two-seed', 'two-files');
  mkdirSync(two, { recursive: true });
  const first = Buffer.alloc(4 * 65536);
  for (let i = 0; i < first.length; i++) first[i] = (i * 31) & 0xff;
  writeFileSync(path.join(two, 'first.bin'), first);
  writeFileSync(path.join(two, 'second.bin'), Buffer.alloc(100_000, 3));
  const torrent = path.join(root, 'two.torrent');
  const interop = path.join(REPO, 'helper/src/test/resources/interop');
  const infoHash = execFileSync('/usr/bin/python3', [path.join(interop, 'lt_make_torrent.py'), two, torrent, '65536'], { timeout: 60_000 }).toString().trim();
  const seeder = spawn('/usr/bin/python3', [path.join(interop, 'lt_seed.py'), torrent, path.dirname(two), '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the two-file seeder did not get READY within 60 s')), 60_000);
    let out = '';
    seeder.stdout.on('data', (c) => { out += c; const m = /READY (\d+)/.exec(out); if (m) { clearTimeout(timer); resolve(Number(m[1])); } });
    seeder.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the seeder exited with ${code}`)); });
  });
  return { seeder, port, infoHash, first };
}

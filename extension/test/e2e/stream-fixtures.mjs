// Fixtures for the streaming E2E: real media made by Debian's ffmpeg, and a libtorrent seeder of it on
// 127.0.0.1 with its upload capped near twice the media's bitrate, so the download is still running
// while the player plays (on loopback an uncapped seeder finishes a few MiB before the page opens).
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './harness.mjs';

const INTEROP = path.join(REPO, 'helper/src/test/resources/interop');
const PYTHON = '/usr/bin/python3';
export const FFMPEG = '/usr/bin/ffmpeg';
/**
 * Long enough that a quarter of the file at twice its bitrate is 15 s of downloading: the check is about the
 * player needing only the file's ends and the part it plays, not about how fast a tab opens on a loaded machine.
 */
export const MEDIA_SECONDS = 120;

export function ffmpegAvailable() {
  return spawnSync(FFMPEG, ['-hide_banner', '-version'], { timeout: 20_000 }).status === 0;
}

/**
 * A test-pattern video with a tone: `mp4` is H.264/AAC with the `moov` box at the end (ffmpeg's default
 * without -movflags +faststart — the layout that makes a player read the file's end before its start),
 * `webm` is VP9/Opus. Low resolution and bitrate keep it a few MiB.
 */
export function makeMedia(dir, kind) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `magnetar-stream-${kind}.${kind}`);
  const sources = ['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', String(MEDIA_SECONDS)];
  const codecs = kind === 'mp4'
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-b:v', '400k', '-g', '50', '-c:a', 'aac', '-b:a', '64k']
    : ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '400k', '-g', '50', '-c:a', 'libopus', '-b:a', '64k'];
  execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...sources, ...codecs, file], { timeout: 180_000 });
  const size = statSync(file).size;
  return { file, name: path.basename(file), size, bytesPerSecond: Math.round(size / MEDIA_SECONDS) };
}

/**
 * The same streams in another container, or under another name with another title (so another info-hash),
 * without re-encoding: Matroska for the "Open in your player" path, a second WebM for a swarm that goes away.
 */
export function remux(media, extension, suffix = '') {
  const file = media.file.replace(/\.[a-z0-9]+$/, `${suffix}.${extension}`);
  execFileSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-i', media.file, '-c', 'copy', '-metadata', `title=magnetar${suffix}`, file],
    { timeout: 120_000 });
  const size = statSync(file).size;
  return { file, name: path.basename(file), size, bytesPerSecond: Math.round(size / MEDIA_SECONDS) };
}

/** The top-level boxes of an MP4 file in order (ISO/IEC 14496-12 §4.2: 32-bit size, type; size 1 = 64-bit size follows). */
export function mp4TopLevelBoxes(bytes) {
  const boxes = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(at + 8));
    if (size === 0) size = bytes.length - at;
    assert.ok(size >= 8, `a box of ${size} bytes at ${at}`);
    boxes.push({ type, start: at, size });
    at += size;
  }
  return boxes;
}

/** A .torrent of the file (16 KiB pieces: fine-grained enough that the reader's next pieces are a small part) and its seeder. */
export async function seedMedia(root, media, uploadBytesPerSecond) {
  const torrent = path.join(root, `${media.name}.torrent`);
  const infoHash = execFileSync(PYTHON, [path.join(INTEROP, 'lt_make_torrent.py'), media.file, torrent, '16384'], { timeout: 60_000 }).toString().trim();
  const seeder = spawn(PYTHON, [path.join(INTEROP, 'lt_seed.py'), torrent, path.dirname(media.file), '0', String(uploadBytesPerSecond)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the media seeder did not get READY within 60 s')), 60_000);
    let out = '';
    seeder.stdout.on('data', (c) => { out += c; const m = /READY (\d+)/.exec(out); if (m) { clearTimeout(timer); resolve(Number(m[1])); } });
    seeder.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the media seeder exited with ${code}`)); });
  });
  return { seeder, port, infoHash, magnet: `magnet:?xt=urn:btih:${infoHash}&dn=${encodeURIComponent(media.name)}&x.pe=127.0.0.1:${port}`, bytes: readFileSync(media.file) };
}

/**
 * Lifts a media seeder's upload cap: the cap is there so playback starts while the download runs; once a test
 * has seen that, the rest of the file need not take the media's whole duration to arrive.
 */
export function unthrottle(seed) {
  seed.seeder.stdin.write('unlimited\n');
}

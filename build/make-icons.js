// Draws the application icon as PNG files, with no image tool installed: the shapes of build/icon.svg are rasterised
// here (4×4 supersampling for smooth edges) and written with node:zlib. Run `node build/make-icons.js` after changing
// the drawing; the PNGs are committed so packaging needs nothing but electron-builder.
//
// Outputs: build/icon.png (512, electron-builder's default; it converts it to .ico for Windows) and
// build/icons/{256x256,512x512}.png (the Linux icon set of AppImage and deb).
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));

// The same drawing as icon.svg, on a 512 grid: a red rounded square, a white house on a ground line, a red door.
const RED = [198, 40, 40, 255];
const WHITE = [255, 255, 255, 255];
const insideRoundedRect = (x, y, left, top, right, bottom, r) => {
  if (x < left || x > right || y < top || y > bottom) return false;
  const cx = Math.min(Math.max(x, left + r), right - r);
  const cy = Math.min(Math.max(y, top + r), bottom - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const insideRect = (x, y, left, top, right, bottom) => x >= left && x <= right && y >= top && y <= bottom;
const insideTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const side = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy);
  const d1 = side(ax, ay, bx, by);
  const d2 = side(bx, by, cx, cy);
  const d3 = side(cx, cy, ax, ay);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
};

/** Colour of one point of the 512 grid, topmost shape first; `null` is transparent. */
function colourAt(x, y) {
  if (insideRect(x, y, 224, 304, 288, 400)) return RED; // door
  if (insideTriangle(x, y, [256, 104], [104, 248], [408, 248])) return WHITE; // roof
  if (insideRect(x, y, 152, 240, 360, 400)) return WHITE; // walls
  if (insideRect(x, y, 112, 400, 400, 420)) return WHITE; // ground
  if (insideRoundedRect(x, y, 32, 32, 480, 480, 96)) return RED; // background
  return null;
}

function render(size) {
  const samples = 4;
  const scale = 512 / size;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const colour = colourAt((px + (sx + 0.5) / samples) * scale, (py + (sy + 0.5) / samples) * scale);
          if (colour === null) continue;
          // Premultiplied, so transparent samples do not darken the edges.
          for (let c = 0; c < 3; c += 1) sum[c] += colour[c] * (colour[3] / 255);
          sum[3] += colour[3];
        }
      }
      const n = samples * samples;
      const alpha = sum[3] / n;
      const offset = (py * size + px) * 4;
      for (let c = 0; c < 3; c += 1) pixels[offset + c] = alpha === 0 ? 0 : Math.round((sum[c] / n / alpha) * 255);
      pixels[offset + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG: signature, IHDR, one IDAT (each row prefixed with filter type 0), IEND. */
export function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type RGBA, deflate, no filter method, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(path.join(here, 'icons'), { recursive: true });
  const png512 = encodePng(512, render(512));
  writeFileSync(path.join(here, 'icon.png'), png512);
  writeFileSync(path.join(here, 'icons', '512x512.png'), png512);
  writeFileSync(path.join(here, 'icons', '256x256.png'), encodePng(256, render(256)));
  process.stdout.write('wrote build/icon.png, build/icons/512x512.png, build/icons/256x256.png\n');
}

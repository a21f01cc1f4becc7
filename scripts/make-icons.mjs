#!/usr/bin/env node
// Draws Orderbell's icons with no dependencies: a bell shape rasterized with 4×4 supersampling,
// written as PNG through zlib, plus .ico and .icns containers that embed those PNGs.
//   node scripts/make-icons.mjs            → assets/
// Tray: tray-{idle,active,attention}.png (16 px) and @2x (32 px), macOS template variants
// tray-{state}Template.png / @2x (black + alpha only). App: icon-256.png, icon-512.png, icon.ico,
// icon.icns. The output is committed; rerun after changing a shape or colour.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

// ---- PNG --------------------------------------------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** rgba: Uint8Array of size*size*4, straight (not premultiplied) alpha. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- shapes (unit square, y down) -------------------------------------------------------------

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;

function bell(x, y) {
  if (circle(0.5, 0.14, 0.065)(x, y)) return true; // knob
  if (y >= 0.2 && y <= 0.45 && circle(0.5, 0.45, 0.25)(x, y)) return true; // dome
  if (y >= 0.45 && y <= 0.72) {
    const t = (y - 0.45) / 0.27;
    if (Math.abs(x - 0.5) <= 0.25 + 0.1 * t * t) return true; // flared body
  }
  if (y >= 0.7 && y <= 0.78 && Math.abs(x - 0.5) <= 0.4) return true; // rim
  return circle(0.5, 0.82, 0.085)(x, y); // clapper
}

/** Bell drawn as an outline of width w (a point of the bell near its edge). */
function bellOutline(w) {
  const dirs = Array.from({ length: 12 }, (_, i) => [
    Math.cos((i * Math.PI) / 6),
    Math.sin((i * Math.PI) / 6),
  ]);
  return (x, y) => bell(x, y) && dirs.some(([dx, dy]) => !bell(x + dx * w, y + dy * w));
}

const BADGE = { cx: 0.8, cy: 0.22, r: 0.19, gap: 0.07 };
const badge = circle(BADGE.cx, BADGE.cy, BADGE.r);
const badgeGap = circle(BADGE.cx, BADGE.cy, BADGE.r + BADGE.gap);
const dot = circle(0.5, 0.52, 0.09);

/**
 * A layer list drawn in order: [shape, [r,g,b,a]]. Later layers cover earlier ones; a layer with
 * colour null erases (used to cut a gap around the badge).
 */
function render(size, layers, ss = 4) {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let colour = null;
          for (const [shape, c] of layers) if (shape(x, y)) colour = c;
          if (colour) {
            const ca = colour[3] / 255;
            r += colour[0] * ca;
            g += colour[1] * ca;
            b += colour[2] * ca;
            a += ca;
          }
        }
      }
      const i = (py * size + px) * 4;
      const n = ss * ss;
      if (a > 0) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
      }
      rgba[i + 3] = Math.round((a / n) * 255);
    }
  }
  return rgba;
}

const ERASE = null;
const not = (f) => (x, y) => !f(x, y);
const and = (f, g) => (x, y) => f(x, y) && g(x, y);

// Colours: readable on light and dark panels alike (a dark rim around a light fill).
const INK = [36, 41, 47, 255];
const IDLE = [200, 206, 214, 255];
const ACTIVE = [56, 139, 253, 255];
const ATTENTION = [246, 185, 59, 255];
const ALERT = [229, 83, 75, 255];
const WHITE = [255, 255, 255, 255];
const BLACK = [0, 0, 0, 255];

function trayLayers(state, size) {
  const rim = bellOutline(size <= 16 ? 0.075 : 0.06);
  const fill = { idle: IDLE, active: ACTIVE, attention: ATTENTION }[state];
  const layers = [
    [bell, fill],
    [rim, INK],
  ];
  if (state === 'active') layers.push([dot, WHITE]);
  if (state === 'attention') layers.push([badgeGap, ERASE], [badge, ALERT]);
  return layers;
}

/** macOS template images: black and alpha only; states differ by shape, not colour. */
function templateLayers(state, size) {
  const line = bellOutline(size <= 16 ? 0.085 : 0.07);
  if (state === 'idle') return [[line, BLACK]];
  if (state === 'active')
    return [
      [bell, BLACK],
      [dot, ERASE],
    ];
  return [
    [and(bell, not(badgeGap)), BLACK],
    [badge, BLACK],
  ];
}

function appIconLayers() {
  const inset = 0.09;
  const radius = 0.2;
  const plate = (x, y) => {
    const qx = Math.max(Math.abs(x - 0.5) - (0.5 - inset - radius), 0);
    const qy = Math.max(Math.abs(y - 0.5) - (0.5 - inset - radius), 0);
    return qx * qx + qy * qy <= radius * radius;
  };
  const plateDark = (x, y) => plate(x, y) && y > 0.5;
  const s = 0.62; // bell scale inside the plate
  const scaled = (f) => (x, y) => f((x - 0.5) / s + 0.5, (y - 0.53) / s + 0.5);
  return [
    [plate, [31, 111, 235, 255]],
    [plateDark, [26, 92, 200, 255]],
    [scaled(bell), [255, 214, 102, 255]],
    [scaled(bellOutline(0.045)), [120, 72, 0, 255]],
  ];
}

// ---- containers -------------------------------------------------------------------------------

/** Windows .ico whose entries are PNG images (supported since Vista). */
function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + images.length * 16;
  const entries = images.map(({ size, png }) => {
    const e = Buffer.alloc(16);
    e[0] = size >= 256 ? 0 : size;
    e[1] = size >= 256 ? 0 : size;
    e.writeUInt16LE(1, 4); // planes
    e.writeUInt16LE(32, 6); // bit count
    e.writeUInt32LE(png.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += png.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...images.map((i) => i.png)]);
}

/** macOS .icns with PNG payloads. */
function encodeIcns(entries) {
  const parts = entries.map(({ type, png }) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([h, png]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([h, body]);
}

// ---- output -----------------------------------------------------------------------------------

mkdirSync(OUT, { recursive: true });
const written = [];
const put = (name, data) => {
  writeFileSync(join(OUT, name), data);
  written.push(name);
};

for (const state of ['idle', 'active', 'attention']) {
  for (const [suffix, size] of [
    ['', 16],
    ['@2x', 32],
  ]) {
    put(`tray-${state}${suffix}.png`, encodePng(size, render(size, trayLayers(state, size))));
    put(
      `tray-${state}Template${suffix}.png`,
      encodePng(size, render(size, templateLayers(state, size))),
    );
  }
}

const app = Object.fromEntries(
  [16, 32, 48, 64, 128, 256, 512, 1024].map((size) => [
    size,
    encodePng(size, render(size, appIconLayers(), size >= 256 ? 2 : 4)),
  ]),
);
put('icon-256.png', app[256]);
put('icon-512.png', app[512]);
put('icon.png', app[512]);
put('icon.ico', encodeIco([16, 32, 48, 64, 128, 256].map((size) => ({ size, png: app[size] }))));
put(
  'icon.icns',
  encodeIcns([
    { type: 'icp4', png: app[16] },
    { type: 'icp5', png: app[32] },
    { type: 'icp6', png: app[64] },
    { type: 'ic07', png: app[128] },
    { type: 'ic08', png: app[256] },
    { type: 'ic09', png: app[512] },
    { type: 'ic10', png: app[1024] },
  ]),
);
process.stdout.write(`wrote ${written.length} files to ${OUT}\n`);

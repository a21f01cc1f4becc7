// FilePersistence.readLines streams a document as `read(name).split('\n')` would give it, so a
// reader can still tell a torn last line (no line end) from a whole one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlertLedger, LEDGER_FILE } from '../../src-main/engine/alert-ledger.js';
import { silentLogger } from '../../src-main/engine/log.js';
import { FilePersistence } from '../../src-main/engine/persistence.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-lines-'));
  dirs.push(dir);
  return dir;
};
const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const l of it) out.push(l);
  return out;
};
// Longer than one read chunk (64 KB), with multi-byte characters across chunk edges.
const long = Array.from({ length: 5_000 }, (_, i) => `{"n":${i},"t":"ö💥${'x'.repeat(i % 50)}"}`);

describe('FilePersistence.readLines', () => {
  it.each([
    { name: 'empty file', text: '' },
    { name: 'whole lines', text: 'a\nb\n' },
    { name: 'torn last line', text: 'a\nb' },
    { name: 'blank lines kept', text: '\n\na\n\n' },
    { name: 'many chunks, whole', text: long.join('\n') + '\n' },
    { name: 'many chunks, torn', text: long.join('\n') },
  ])('$name: as read().split', async ({ text }) => {
    const dir = newDir();
    writeFileSync(join(dir, 'doc'), text);
    const disk = new FilePersistence(dir);
    expect(await collect(disk.readLines('doc'))).toEqual(text.split('\n'));
  });

  it('a missing document gives nothing', async () => {
    expect(await collect(new FilePersistence(newDir()).readLines('none'))).toEqual([]);
  });
});

describe('FilePersistence streamed writes (one reused 64 KB buffer)', () => {
  it.each([
    { name: 'no parts', parts: [] as string[] },
    { name: 'many small parts, several buffers full', parts: long.map((l) => `${l}\n`) },
    { name: 'one part longer than the buffer', parts: ['a', 'x'.repeat(200_000), 'b'] },
    {
      // 60,000 characters but 120,000 bytes: what must fit is bytes, not characters.
      name: 'multi-byte text longer in bytes than the buffer',
      parts: ['ö💥'.repeat(20_000)],
    },
    {
      name: 'four-byte characters across buffer edges',
      parts: ['💥'.repeat(20_000), 'ö', '💥'.repeat(20_000)],
    },
  ])('$name: the file holds the parts joined', async ({ parts }) => {
    const dir = newDir();
    const disk = new FilePersistence(dir);
    await disk.writeParts('doc', parts);
    await disk.rewriteLog(
      'log',
      (async function* () {
        yield* parts;
      })(),
    );
    expect(readFileSync(join(dir, 'doc'), 'utf8')).toBe(parts.join(''));
    expect(readFileSync(join(dir, 'log'), 'utf8')).toBe(parts.join(''));
    expect(disk.stats.bytes).toBe(2 * Buffer.byteLength(parts.join('')));
  });
});

describe('the ledger loads a streamed log', () => {
  it.each([
    { name: 'whole', ending: '\n', appended: false },
    { name: 'torn', ending: '', appended: true },
  ])('$name last line: a line end is added only when missing', async ({ ending, appended }) => {
    const dir = newDir();
    const lines = [
      '{"provider":"houdini","orderId":"A","source":"hd","status":"completed","at":"2026-01-01T00:00:00.000Z"}',
      '{"provider":"houdini","orderId":"B","source":"hd","status":"completed","at":"2026-01-01T00:00:00.000Z"}',
    ];
    const text = lines.join('\n') + ending;
    writeFileSync(join(dir, LEDGER_FILE), text);
    const disk = new FilePersistence(dir);
    const ledger = new AlertLedger(disk, silentLogger());
    expect(await ledger.load()).toEqual([]);
    expect(ledger.size).toBe(2);
    expect(await disk.read(LEDGER_FILE)).toBe(appended ? text + '\n' : text);
    await disk.close();
  });
});

// The host's attention list: which alerts join it (the ones the user wants, notified or held), the
// reason taken from the order, mark read / all read as commands and changes, the cap, and the file
// in the state folder (kept across a new host, a damaged one starts empty).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ATTENTION_FILE, AttentionFile } from '../../src-main/shared/host/attention-file.js';
import { AttentionLog, MemoryAttention } from '../../src-main/shared/host/attention-log.js';
import { ATTENTION_LIMIT } from '../../src-main/shared/limits.js';
import type { BridgeChange } from '../../src-main/shared/bridge.js';
import { alertLine } from '../support/fake-engine.js';
import { parts } from '../support/host-harness.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('attention list in the host', () => {
  it.each([
    ['a chosen status, notified', {}, 'failed', 1],
    ['a chosen status, held while paused', { pausedUntil: Date.now() + 60_000 }, 'failed', 1],
    ['a status the user did not choose', { statuses: ['completed' as const] }, 'failed', 0],
  ])('%s', (_name, prefs, status, added) => {
    const p = parts({ prefs });
    p.engine.emit(alertLine('nx', 'N1', status as 'failed'));
    expect(p.ctx.attention.all).toHaveLength(added);
    expect(p.ctx.attention.unread).toBe(added);
    expect(p.changes().filter((c) => c.type === 'attention-added')).toHaveLength(added);
  });

  it('takes the reason from the order, and marks read by command', async () => {
    const p = parts();
    p.engine.store.apply(
      'nx',
      'nexchange',
      { orderId: 'N1', status: 'failed', providerStatus: '7', details: { reason: 'USER' } },
      new Date().toISOString(),
    );
    p.engine.emit(alertLine('nx', 'N1', 'failed'));
    p.engine.emit(alertLine('hd', 'H1', 'completed', 'houdini'));
    const [first] = p.ctx.attention.all;
    expect(first?.reason).toBe('canceled by the customer');

    expect(await p.handlers.markRead({ keys: 'nope' })).toMatchObject({ ok: false, field: 'keys' });
    expect(await p.handlers.markRead({ keys: [first?.key] })).toEqual({ ok: true });
    expect(p.ctx.attention.unread).toBe(1);
    expect(await p.handlers.markAllRead(undefined)).toEqual({ ok: true });
    expect(p.ctx.attention.unread).toBe(0);
    const reads = p
      .changes()
      .filter(
        (c): c is Extract<BridgeChange, { type: 'attention-read' }> => c.type === 'attention-read',
      );
    expect(reads.map((c) => c.keys)).toEqual([[first?.key], null]);
    // Marking what is already read changes nothing and sends nothing.
    await p.handlers.markAllRead(undefined);
    expect(p.changes().filter((c) => c.type === 'attention-read')).toHaveLength(2);
  });

  it('keeps the newest ATTENTION_LIMIT entries and never the same alert twice', () => {
    const added: BridgeChange[] = [];
    const log = new AttentionLog({
      store: new MemoryAttention(),
      enqueue: (c) => added.push(c),
      watchSave: () => undefined,
      order: () => undefined,
    });
    const base = Date.parse('2025-06-01T00:00:00.000Z');
    for (let i = 0; i < ATTENTION_LIMIT + 5; i++) {
      log.add({ ...alertLine('nx', `N${i}`), at: new Date(base + i).toISOString() });
    }
    const again = {
      ...alertLine('nx', `N${ATTENTION_LIMIT + 4}`),
      at: new Date(base + ATTENTION_LIMIT + 4).toISOString(),
    };
    log.add(again);
    expect(log.all).toHaveLength(ATTENTION_LIMIT);
    expect(log.all[0]?.alert.orderId).toBe('N5');
    expect(added).toHaveLength(ATTENTION_LIMIT + 5);
  });

  it('is kept in the state folder; a damaged file starts an empty list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderbell-attention-file-'));
    dirs.push(dir);
    const file = new AttentionFile(dir);
    const log = new AttentionLog({
      store: file,
      enqueue: () => undefined,
      watchSave: () => undefined,
      order: () => undefined,
    });
    log.add(alertLine('nx', 'N1', 'failed'));
    log.add(alertLine('nx', 'N2', 'completed'));
    log.markRead([log.all[0]?.key as string]);
    await file.flush();
    const again = new AttentionFile(dir).load();
    expect(again.map((e) => [e.alert.orderId, e.read])).toEqual([
      ['N1', true],
      ['N2', false],
    ]);
    expect(JSON.parse(readFileSync(join(dir, ATTENTION_FILE), 'utf8')).version).toBe(1);
    writeFileSync(join(dir, ATTENTION_FILE), '{not json');
    expect(new AttentionFile(dir).load()).toEqual([]);
  });
});

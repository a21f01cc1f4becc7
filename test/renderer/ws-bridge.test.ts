import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsBridge, type SocketLike } from '../../src-renderer/lib/ws-bridge';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.(new Event('close') as CloseEvent);
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(msg: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(msg) }));
  }
}

afterEach(() => vi.useRealTimers());

describe('WsBridge', () => {
  it('matches answers to requests, passes batches on, reconnects after a drop', async () => {
    vi.useFakeTimers();
    const sockets: FakeSocket[] = [];
    const bridge = new WsBridge('ws://127.0.0.1:1/bridge?token=t', {
      createSocket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    });
    const states: string[] = [];
    bridge.onState((s) => states.push(s));
    await expect(bridge.invoke('reconnect', {})).rejects.toThrow(/not connected/);
    sockets[0]!.open();
    const answer = bridge.invoke('addOrder', { source: 'nx', orderId: 'A' });
    const sent = JSON.parse(sockets[0]!.sent[0]!) as { id: number; command: string };
    expect(sent).toMatchObject({ command: 'addOrder', request: { source: 'nx', orderId: 'A' } });
    const batches: unknown[] = [];
    bridge.onChanges((b) => batches.push(b));
    sockets[0]!.receive({ batch: { seq: 1, changes: [] } });
    sockets[0]!.receive({ id: sent.id, response: { ok: true } });
    await expect(answer).resolves.toEqual({ ok: true });
    expect(batches).toEqual([{ seq: 1, changes: [] }]);

    const lost = bridge.invoke('reconnect', {});
    sockets[0]!.close();
    await expect(lost).rejects.toThrow(/lost/);
    vi.advanceTimersByTime(6_000);
    expect(sockets).toHaveLength(2);
    sockets[1]!.open();
    expect(states).toEqual(['open', 'closed', 'connecting', 'open']);
    bridge.close();
  });

  it('builds the bridge URL from the page URL', () => {
    const url = WsBridge.urlFor(
      new URL('http://127.0.0.1:4321/?token=abc_-1') as unknown as Location,
    );
    expect(url).toBe('ws://127.0.0.1:4321/bridge?token=abc_-1');
  });
});

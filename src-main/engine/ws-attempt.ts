// One try at a plain-WebSocket connection, from `new WebSocket` until the socket is let go: its
// listeners, its handshake deadline and its heartbeat all live in one undo list, run once when the
// attempt ends. A torn-down attempt has no listener left on its socket and no timer running, so
// nothing it hears afterwards can act; the supervisor only ever talks to the live one.
import { frameTooLargeMessage, isFrameTooLarge } from './frame-limit.js';
import WebSocket from 'ws';
import { Heartbeat } from './heartbeat.js';
import type { SourceContext } from './source.js';
import type { WsLink, WsProtocol } from './supervisor.js';
import { UndoList } from './undo-list.js';

export interface AttemptSettings {
  heartbeatMs: number;
  /** TCP + TLS + upgrade, then the provider's own handshake, must finish within this. */
  handshakeTimeoutMs: number;
  /** The frame limit the socket was opened with (named in the line a refused frame logs). */
  maxPayloadBytes?: number;
}

/** Why an attempt ended by itself. */
export interface AttemptEnd {
  /** The provider refused the credentials (the reason to show); absent for any other failure. */
  authFailure?: string;
}

export interface AttemptHooks {
  /** The provider confirmed the session; `undo` is the attempt's (what is set up now dies with it). */
  ready(undo: UndoList): void;
  /** The attempt failed or its connection died. At most once; never after `dispose`/`shutdown`. */
  ended(end: AttemptEnd): void;
}

/** How long a clean shutdown waits for the server's close frame. */
export const CLOSE_GRACE_MS = 500;

const ignore = (): void => {};

export class WsAttempt {
  /** What the adapter sends through; inert once the attempt is over. */
  readonly link: WsLink;
  private readonly undo = new UndoList();
  private readonly heartbeat: Heartbeat;
  private readonly handshake: NodeJS.Timeout;
  private isReady = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly protocol: WsProtocol,
    private readonly ctx: SourceContext,
    settings: AttemptSettings,
    private readonly hooks: AttemptHooks,
  ) {
    const undo = this.undo;
    this.link = {
      send: (text) => this.send(text),
      sendJson: (message) => this.send(JSON.stringify(message)),
      ready: () => this.ready(),
      authFailed: (detail) => this.end({ authFailure: detail }),
    };
    this.heartbeat = new Heartbeat(undo, {
      intervalMs: settings.heartbeatMs,
      log: ctx.log,
      ping: () => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.ping();
        this.protocol.keepalive?.(this.link);
      },
      expired: () => this.end({}),
      rtt: (ms) => ctx.rtt(ms),
    });

    // Covers the provider-level handshake too (welcome, subscribe ack): a server that accepts the
    // socket but never says hello is as dead as one that never answers.
    this.handshake = undo.timeout(() => {
      ctx.log.warn('handshake timed out');
      this.end({});
    }, settings.handshakeTimeoutMs);

    undo.listen(
      ws,
      'unexpected-response',
      (_req: unknown, res: { statusCode?: number; resume(): void }) => {
        const detail = protocol.authFailure?.({ httpStatus: res.statusCode });
        res.resume();
        if (!detail) ctx.log.warn({ status: res.statusCode }, 'upgrade refused');
        this.end(detail ? { authFailure: detail } : {});
      },
    );

    undo.listen(ws, 'open', () => {
      this.heartbeat.watchSilence();
      try {
        protocol.onOpen(this.link);
      } catch (err) {
        ctx.protocolError(`onOpen failed: ${(err as Error).message}`);
      }
    });

    undo.listen(ws, 'message', (data: WebSocket.RawData, isBinary: boolean) => {
      this.heartbeat.heard();
      ctx.heard();
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      try {
        protocol.onMessage(text, this.link);
      } catch (err) {
        ctx.protocolError(`handler failed: ${(err as Error).message}`, text);
      }
    });

    undo.listen(ws, 'pong', () => this.heartbeat.pong());

    undo.listen(ws, 'close', (code: number, reason: Buffer) => {
      const why = reason.toString();
      const detail = protocol.authFailure?.({ closeCode: code, reason: why });
      if (!detail) ctx.log.info({ code, reason: why }, 'connection closed');
      this.end(detail ? { authFailure: detail } : {});
    });

    // 'close' follows 'error' for an opened socket; for a failed connect it may not.
    undo.listen(ws, 'error', (err: Error) => {
      if (isFrameTooLarge(err)) ctx.log.warn(frameTooLargeMessage(settings.maxPayloadBytes));
      else ctx.log.warn({ err: err.message }, 'socket error');
      this.end({});
    });
  }

  /** True until the attempt has ended, by itself or by its owner. */
  get live(): boolean {
    return !this.undo.closed;
  }

  /** The owner moves on (reconnect now): let the socket go without reporting an end. */
  dispose(): void {
    if (this.finish()) release(this.ws);
  }

  /** The source stops for good: close cleanly, waiting briefly for the server's close frame. */
  async shutdown(): Promise<void> {
    if (this.finish()) await closeGracefully(this.ws);
  }

  private send(text: string): void {
    if (this.live && this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  private ready(): void {
    if (this.isReady || !this.live) return;
    this.isReady = true;
    clearTimeout(this.handshake);
    this.heartbeat.start();
    this.hooks.ready(this.undo);
  }

  private end(end: AttemptEnd): void {
    if (!this.finish()) return;
    release(this.ws);
    this.hooks.ended(end);
  }

  /** Runs the undo list; false when the attempt was already over. */
  private finish(): boolean {
    if (!this.live) return false;
    for (const err of this.undo.run()) {
      this.ctx.log.warn({ err: (err as Error)?.message ?? String(err) }, 'teardown step failed');
    }
    return true;
  }
}

/** Drop a socket at once. Late errors from it (an aborted handshake reports one) go nowhere. */
function release(ws: WebSocket): void {
  ws.on('error', ignore);
  ws.terminate();
}

async function closeGracefully(ws: WebSocket): Promise<void> {
  ws.on('error', ignore);
  if (ws.readyState === WebSocket.CLOSED) return;
  const wait = new UndoList();
  await new Promise<void>((resolve) => {
    wait.listen(ws, 'close', () => resolve());
    wait.timeout(() => {
      ws.terminate();
      resolve();
    }, CLOSE_GRACE_MS);
    if (ws.readyState === WebSocket.OPEN) ws.close(1000, 'client shutdown');
    else ws.terminate();
  });
  wait.run();
}

// The web-mode Bridge: the same interface the Electron preload exposes, over the loopback
// WebSocket of web mode (`/bridge?token=…`). Reconnects with capped, jittered backoff; every new
// connection is a new client on the server, so the window asks for a fresh snapshot then.
import type {
  Bridge,
  BridgeCommands,
  ChangeBatch,
  CommandName,
} from '../../src-main/shared/bridge';

export type LinkState = 'connecting' | 'open' | 'closed';

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The slice of the browser WebSocket this client uses (tests pass a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
}

export interface WsBridgeOptions {
  createSocket?: (url: string) => SocketLike;
  /** A command gets no answer within this: it fails (the link is probably gone). */
  timeoutMs?: number;
  maxBackoffMs?: number;
}

const OPEN = 1;

export class WsBridge implements Bridge {
  private socket: SocketLike | undefined;
  private nextId = 1;
  private attempt = 0;
  private closedByUser = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<(batch: ChangeBatch) => void>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private readonly createSocket: (url: string) => SocketLike;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  state: LinkState = 'connecting';

  constructor(
    private readonly url: string,
    opts: WsBridgeOptions = {},
  ) {
    this.createSocket = opts.createSocket ?? ((u) => new WebSocket(u));
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 5_000;
    this.connect();
  }

  /** The bridge URL for the page we were served from (same host, the page's token). */
  static urlFor(location: Location): string {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
  }

  invoke<K extends CommandName>(
    command: K,
    request: BridgeCommands[K]['req'],
  ): Promise<BridgeCommands[K]['res']> {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN) {
      return Promise.reject(new Error('not connected to Orderbell'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no answer to ${command}`));
      }, this.timeoutMs);
      this.pending.set(id, {
        resolve: (v) => resolve(v as BridgeCommands[K]['res']),
        reject,
        timer,
      });
      socket.send(JSON.stringify({ id, command, request }));
    });
  }

  onChanges(listener: (batch: ChangeBatch) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Called with every link state change ('open' again after each reconnect). */
  onState(listener: (state: LinkState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  close(): void {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  private setState(state: LinkState): void {
    this.state = state;
    for (const l of this.stateListeners) l(state);
  }

  private connect(): void {
    this.setState('connecting');
    let socket: SocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onerror = () => {
      /* onclose follows */
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error('connection to Orderbell lost'));
        this.pending.delete(id);
      }
      this.setState('closed');
      if (!this.closedByUser) this.scheduleRetry();
    };
  }

  private scheduleRetry(): void {
    this.attempt += 1;
    const cap = Math.min(this.maxBackoffMs, 250 * 2 ** this.attempt);
    const delay = cap / 2 + Math.random() * (cap / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let msg: unknown;
    try {
      msg = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    const m = msg as { id?: unknown; response?: unknown; error?: unknown; batch?: ChangeBatch };
    if (m.batch) {
      for (const l of this.changeListeners) l(m.batch);
      return;
    }
    if (typeof m.id !== 'number') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.error !== undefined) p.reject(new Error(String(m.error)));
    else p.resolve(m.response);
  }
}

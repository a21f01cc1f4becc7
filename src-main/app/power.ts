// After sleep, a screen unlock or a network outage, every source reconnects at once (and catches up
// over REST where it can) instead of waiting out its backoff. Electron's main process has no
// "online" event, so connectivity is sampled with net.isOnline() on a slow, unref'd timer.
import { net, powerMonitor } from 'electron';

export interface PowerOptions {
  reconnectAll: () => void;
  /** How often connectivity is sampled; default 5 s. */
  onlinePollMs?: number;
  /** Wake-ups closer together than this cause one reconnect; default 2 s. */
  debounceMs?: number;
  now?: () => number;
}

/** Starts watching; returns a function that stops. */
export function watchPower(opts: PowerOptions): () => void {
  const now = opts.now ?? Date.now;
  const debounceMs = opts.debounceMs ?? 2_000;
  let last = -Infinity;
  const wake = () => {
    const t = now();
    if (t - last < debounceMs) return;
    last = t;
    opts.reconnectAll();
  };
  powerMonitor.on('resume', wake);
  powerMonitor.on('unlock-screen', wake);

  let online = net.isOnline();
  const timer = setInterval(() => {
    const nowOnline = net.isOnline();
    if (nowOnline && !online) wake();
    online = nowOnline;
  }, opts.onlinePollMs ?? 5_000);
  timer.unref();

  return () => {
    clearInterval(timer);
    powerMonitor.removeListener('resume', wake);
    powerMonitor.removeListener('unlock-screen', wake);
  };
}

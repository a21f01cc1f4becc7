// Which transport carries the bridge: Electron's preload puts `window.orderbell` in place before
// any script runs; without it we are in a browser, served by web mode.
import type { Bridge } from '../../src-main/shared/bridge';
import { WsBridge, type LinkState } from './ws-bridge';

declare global {
  interface Window {
    orderbell?: Bridge;
  }
}

export interface BridgeConnection {
  bridge: Bridge;
  kind: 'electron' | 'web';
  /** Link state; Electron IPC is always 'open'. A new 'open' means: ask for a snapshot again. */
  onState(listener: (state: LinkState) => void): () => void;
}

export function connectBridge(win: Window = window): BridgeConnection {
  const ipc = win.orderbell;
  if (ipc) {
    return {
      bridge: ipc,
      kind: 'electron',
      onState(listener) {
        queueMicrotask(() => listener('open'));
        return () => {};
      },
    };
  }
  const ws = new WsBridge(WsBridge.urlFor(win.location));
  return {
    bridge: ws,
    kind: 'web',
    onState(listener) {
      const off = ws.onState(listener);
      if (ws.state === 'open') queueMicrotask(() => listener('open'));
      return off;
    },
  };
}

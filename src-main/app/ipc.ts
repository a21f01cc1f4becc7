// Electron IPC for the bridge: one ipcMain.handle per command channel, each delegating to the
// bridge host (which validates the request itself), and each refusing any sender that is not a
// frame on our own app:// origin inside our own window. A page that somehow navigated elsewhere, or
// an injected frame, gets an error and nothing else.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { COMMAND_CHANNELS, type CommandName } from '../shared/bridge.js';
import { APP_HOST, APP_SCHEME } from './identity.js';

export interface IpcOptions {
  /** Runs a command for the window that sent it (BridgeHost.dispatch with that window's client). */
  invoke: (command: CommandName, request: unknown, event: IpcMainInvokeEvent) => Promise<unknown>;
  /** Extra check on the sending WebContents (our status window); default accepts any. */
  isOurWindow?: (event: IpcMainInvokeEvent) => boolean;
  /** The window has its snapshot: it is listening now (see StatusWindow.markReady). */
  onSnapshot?: (event: IpcMainInvokeEvent) => void;
}

export class UntrustedSenderError extends Error {
  constructor(channel: string) {
    super(`${channel}: refused, the sender is not the Orderbell window`);
    this.name = 'UntrustedSenderError';
  }
}

/** True only for a frame whose URL is on our app:// origin. */
export function isTrustedSender(event: { senderFrame: { url: string } | null }): boolean {
  const frame = event.senderFrame;
  if (!frame) return false;
  try {
    // WHATWG URL gives custom schemes an opaque ("null") origin, so compare scheme and host.
    const url = new URL(frame.url);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Registers every command channel; returns a function removing them again. */
export function registerIpc(opts: IpcOptions): () => void {
  const channels = Object.entries(COMMAND_CHANNELS) as [CommandName, string][];
  for (const [command, channel] of channels) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(event) || (opts.isOurWindow && !opts.isOurWindow(event))) {
        throw new UntrustedSenderError(channel);
      }
      const result = await opts.invoke(command, request, event);
      if (command === 'snapshot') opts.onSnapshot?.(event);
      return result;
    });
  }
  return () => {
    for (const [, channel] of channels) ipcMain.removeHandler(channel);
  };
}

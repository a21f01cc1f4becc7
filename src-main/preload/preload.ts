// The only thing the window gets from Electron: `window.orderbell`, the typed Bridge, over IPC.
// No ipcRenderer, no Node, nothing else. Built into one CommonJS file (dist/preload/preload.cjs)
// because sandboxed preloads cannot load ES modules or other files.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CHANGES_CHANNEL,
  COMMAND_CHANNELS,
  type Bridge,
  type ChangeBatch,
  type CommandName,
} from '../shared/bridge.js';

function isCommand(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_CHANNELS, name);
}

export const bridge: Bridge = {
  invoke(command, request) {
    if (!isCommand(command)) return Promise.reject(new Error(`unknown command ${String(command)}`));
    return ipcRenderer.invoke(COMMAND_CHANNELS[command], request);
  },
  onChanges(listener) {
    const handler = (_event: IpcRendererEvent, batch: ChangeBatch) => listener(batch);
    ipcRenderer.on(CHANGES_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(CHANGES_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('orderbell', bridge);

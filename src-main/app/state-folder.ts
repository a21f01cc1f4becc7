// The desktop app's state folder (userData/state) is the same per-user folder the headless CLI uses
// by default, and two engines on one folder would both announce the same alert. So the app takes
// the folder's lock before it builds anything; while another Orderbell (a headless one: the
// desktop app itself is single-instance) holds it, a dialog says who, and offers Retry or Quit.
import { dialog } from 'electron';
import type { Logger } from '../engine/log.js';
import { lockStateFolder, StateFolderError, type StateLock } from '../engine/state-lock.js';

/** The user chose Quit while the state folder was unavailable: nothing was started. */
export class StateFolderDeclined extends Error {
  override name = 'StateFolderDeclined';
}

const RETRY = 0;
const QUIT = 1;

/** What the dialog says about the folder (the lock's own line names a CLI flag). */
function detailOf(err: StateFolderError, dir: string): string {
  const holder = err.holder;
  if (!holder) return `${err.message}.`;
  const where = holder.host ? ` on ${holder.host}` : '';
  return (
    `The folder ${dir} is in use by another Orderbell (process ${holder.pid}${where}, ` +
    `since ${holder.since}), probably orderbell-headless. Two on one folder would alert the ` +
    'same order twice. Stop the other one, then choose Retry.'
  );
}

/**
 * Locks `dir` for this app, asking Retry / Quit for as long as it cannot. Resolves with the lock;
 * rejects with StateFolderDeclined when the user quits (the caller quits without starting).
 */
export async function takeStateFolder(dir: string, log: Logger): Promise<StateLock> {
  for (;;) {
    try {
      return lockStateFolder(dir);
    } catch (err) {
      if (!(err instanceof StateFolderError)) throw err;
      log.error({ err: err.message }, 'state folder unavailable');
      const { response } = await dialog.showMessageBox({
        type: 'warning',
        title: 'Orderbell',
        message: err.holder
          ? 'Another Orderbell is using the state folder'
          : 'The state folder cannot be used',
        detail: detailOf(err, dir),
        buttons: ['Retry', 'Quit'],
        defaultId: RETRY,
        cancelId: QUIT,
        noLink: true,
      });
      if (response !== RETRY) throw new StateFolderDeclined(err.message);
    }
  }
}

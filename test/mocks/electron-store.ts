// electron-store is loaded by Node itself in tests (it lives in node_modules, so vi.mock('electron')
// would not reach its own `import electron`, and the real `electron` package tries to download its
// binary). This stand-in is electron-store's own base class, `conf`, with electron-store's option
// mapping: the same atomic file writes and the same error on an unparsable file.
import Conf from 'conf';

interface Options {
  name?: string;
  cwd: string;
  clearInvalidConfig?: boolean;
  defaults?: Record<string, unknown>;
}

export default class ElectronStore<T extends Record<string, unknown>> extends Conf<T> {
  constructor(options: Options) {
    const { name = 'config', ...rest } = options;
    super({ ...rest, configName: name, projectName: 'orderbell' } as ConstructorParameters<
      typeof Conf<T>
    >[0]);
  }
}

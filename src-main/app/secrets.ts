// Secrets at rest: every credential is encrypted with Electron's safeStorage (Keychain, DPAPI,
// libsecret / kwallet) before it is written, and decrypted only in the main process. Nothing here
// logs or returns a secret except `open`, whose caller hands it straight to the engine.
import { safeStorage } from 'electron';

/** The subset of safeStorage used here (tests pass their own). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

const PREFIX = 'ss1:';

export class SecretsUnavailableError extends Error {
  constructor() {
    super('secrets cannot be stored: the operating system offers no encryption (safeStorage)');
    this.name = 'SecretsUnavailableError';
  }
}

export class SecretBox {
  constructor(
    private readonly storage: SafeStorageLike = safeStorage,
    private readonly platform: NodeJS.Platform = process.platform,
  ) {}

  /**
   * Whether secrets are really protected: false where encryption is unavailable, and on Linux when
   * no keyring answered and Chromium fell back to its fixed `basic_text` key (call after `ready`).
   */
  get protected(): boolean {
    if (!this.storage.isEncryptionAvailable()) return false;
    if (this.platform !== 'linux') return true;
    const backend = this.storage.getSelectedStorageBackend?.() ?? 'unknown';
    return backend !== 'basic_text' && backend !== 'unknown';
  }

  /** Encrypts a secret for storage; the result is printable (base64 with a version prefix). */
  seal(plain: string): string {
    if (!this.storage.isEncryptionAvailable()) throw new SecretsUnavailableError();
    return PREFIX + this.storage.encryptString(plain).toString('base64');
  }

  isSealed(value: unknown): value is string {
    return typeof value === 'string' && value.startsWith(PREFIX);
  }

  /** Decrypts what `seal` produced; throws (without the value) when it cannot. */
  open(sealed: string): string {
    if (!this.isSealed(sealed)) throw new Error('not a sealed secret');
    if (!this.storage.isEncryptionAvailable()) throw new SecretsUnavailableError();
    return this.storage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
  }
}

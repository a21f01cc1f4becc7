// The shape every command answers with, and the one guard every handler starts from: requests
// cross a trust boundary (IPC or a socket), so nothing about them is assumed.
import type { CommandResult } from '../bridge.js';

export const ok: CommandResult = { ok: true };

/** A refusal; `field` names the form field to mark, when there is one. */
export function fail(error: string, field?: string): Refusal {
  return field === undefined ? { ok: false, error } : { ok: false, error, field };
}

export type Refusal = Extract<CommandResult, { ok: false }>;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

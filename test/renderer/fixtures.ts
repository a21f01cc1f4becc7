// Builders for renderer tests: records, source views, a scripted bridge.
import { render } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { expect, vi } from 'vitest';
import type { OrderRecord } from '../../src-main/shared/orders';
import type { ProviderKey } from '../../src-main/shared/providers';
import { isTerminal, type NormalizedStatus } from '../../src-main/shared/statuses';
import type {
  Bridge,
  BridgeChange,
  BridgeCommands,
  BridgeSnapshot,
  ChangeBatch,
  CommandName,
  SourceView,
  StatusLabels,
} from '../../src-main/shared/bridge';
import { emptyStatusLabels } from '../../src-main/shared/providers';
import App from '../../src-renderer/App.svelte';
import { Clock } from '../../src-renderer/lib/clock.svelte';
import type { BridgeConnection } from '../../src-renderer/lib/connect';
import { windowContext } from '../../src-renderer/lib/context';
import { AppState } from '../../src-renderer/lib/state.svelte';

/** A few labels per provider; a provider without any here starts empty, as in the window. */
export const LABELS: StatusLabels = {
  ...emptyStatusLabels(),
  nexchange: { '16': 'COMPLETED', '13': 'PAID', '11': 'INITIAL' },
  ozzobit: { ORDER_COMPLETED: 'completed', ORDER_PROCESSING: 'processing' },
  houdini: { '4': 'COMPLETED', '2': 'EXCHANGING' },
  orangepill: { 'transaction.done': 'transaction done' },
  satoriex: { filled: 'filled' },
};

export function record(
  orderId: string,
  status: NormalizedStatus,
  opts: { source?: string; provider?: ProviderKey; providerStatus?: string; at?: string } = {},
): OrderRecord {
  const at = opts.at ?? '2025-06-01T12:00:00.000Z';
  const providerStatus = opts.providerStatus ?? status;
  return {
    source: opts.source ?? 'nx',
    provider: opts.provider ?? 'nexchange',
    orderId,
    status,
    providerStatus,
    terminal: isTerminal(status),
    firstSeenAt: at,
    updatedAt: at,
    history: [{ status, providerStatus, at }],
  };
}

export function sourceView(
  id: string,
  provider: ProviderKey,
  patch: Partial<SourceView> = {},
): SourceView {
  return {
    id,
    provider,
    enabled: true,
    state: 'connected',
    watched: [],
    settings: { url: 'wss://example.test/ws' },
    secretsSet: {},
    ...patch,
  };
}

export function snapshot(patch: Partial<BridgeSnapshot> = {}): BridgeSnapshot {
  return {
    seq: 0,
    demo: false,
    demoAvailable: false,
    statusLabels: LABELS,
    sources: [sourceView('nx', 'nexchange')],
    orders: [],
    activity: [],
    alerts: [],
    heldAlerts: [],
    attention: [],
    problems: [],
    prefs: {
      statuses: ['completed', 'failed'],
      sound: true,
      pausedUntil: null,
      mutedSources: [],
      activityAlerts: [],
      mutedUntil: {},
      outcomeSounds: { completed: false, failed: true },
    },
    platform: { kind: 'web', notificationsSupported: true, secretsProtected: true },
    ...patch,
  };
}

type Answers = { [K in CommandName]?: (req: BridgeCommands[K]['req']) => BridgeCommands[K]['res'] };

/** A bridge whose commands answer from `answers` (default { ok: true }) and record their calls. */
export function fakeBridge(answers: Answers = {}) {
  const invoke = vi.fn(async (command: CommandName, request: unknown) => {
    const answer = answers[command] as ((req: unknown) => unknown) | undefined;
    return answer ? answer(request) : { ok: true };
  });
  const bridge = {
    invoke: invoke as unknown as Bridge['invoke'],
    onChanges: () => () => {},
  } satisfies Bridge;
  return { bridge, invoke };
}

/**
 * The window context for mounting one component on its own (`render(C, { props, context })`):
 * the state loaded from `snapshot(...)`, a bridge, and a clock that stays at `now`.
 */
export function mountContext(
  opts: { bridge?: Pick<Bridge, 'invoke'>; snapshot?: Partial<BridgeSnapshot>; now?: number } = {},
) {
  const app = new AppState(() => {});
  app.loadSnapshot(snapshot(opts.snapshot));
  return windowContext({
    app,
    bridge: opts.bridge ?? fakeBridge().bridge,
    clock: new Clock(opts.now ?? Date.now()),
  });
}

/**
 * The whole window (App) on a scripted bridge: `snapshot(patch)` as its snapshot, changes pushed by
 * the test through `send` (numbered in order), animation frames run by hand after each batch.
 */
export async function mountApp(patch: Partial<BridgeSnapshot> = {}) {
  const frames: (() => void)[] = [];
  const app = new AppState((fn) => frames.push(fn));
  let push: (batch: ChangeBatch) => void = () => {};
  const bridge: Bridge = {
    invoke: vi.fn(async (command: string) =>
      command === 'snapshot' ? snapshot(patch) : { ok: true },
    ) as unknown as Bridge['invoke'],
    onChanges(listener) {
      push = listener;
      return () => {};
    },
  };
  const connection: BridgeConnection = {
    bridge,
    kind: 'web',
    onState(listener) {
      queueMicrotask(() => listener('open'));
      return () => {};
    },
  };
  render(App, { connection, app });
  await vi.waitFor(() => expect(app.loaded).toBe(true));
  flushSync();
  let seq = 0;
  const send = (changes: BridgeChange[]) => {
    seq += changes.length;
    push({ seq, changes });
    frames.splice(0).forEach((fn) => fn());
    flushSync();
  };
  return { app, send };
}

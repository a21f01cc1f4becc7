// What one provider's three descriptors (the window's half in shared/providers.ts, the engine's in
// its adapter, the simulator's in its simulator module) must say, checked against the expectations
// its own test file supplies. provider-registry.test.ts checks what holds for every provider alike;
// this suite checks the values particular to one.
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig, sourceSchemas } from '../../src-main/engine/config.js';
import {
  authFailureFor,
  type AuthSignal,
  type CatchUpMode,
} from '../../src-main/engine/providers/descriptor.js';
import { ENGINE_PROVIDERS, STATUS_TABLES } from '../../src-main/engine/providers/index.js';
import { isTerminal } from '../../src-main/engine/status.js';
import type { NormalizedStatus, ProviderKey } from '../../src-main/engine/types.js';
import { isSecretField, PROVIDER_INFO, SECRET_FIELDS } from '../../src-main/shared/providers.js';
import { demoScripts } from '../../src-main/simulator/demo.js';
import { SIMULATORS } from '../../src-main/simulator/index.js';
import { newRunNonce, scriptDurationMs, scriptOrderIds } from '../../src-main/simulator/scripts.js';
import { stateOf, watch } from './harness.js';

export interface DescriptorSpec {
  /** The smallest config the provider accepts. */
  sample: Record<string, unknown>;
  /** The form fields of kind `secret`, in form order. */
  secrets: string[];
  heartbeatMs: number;
  catchUp: CatchUpMode;
  catchUpRequires?: string;
  connect: 'ws' | 'source';
  /** Provider codes (as the status table keys them) and the normalized status each maps to. */
  statuses: [code: string, status: NormalizedStatus][];
  /** The adapter's own words for "bad credentials", as the `auth_failed` detail shows them. */
  authFailures: [AuthSignal, string | undefined][];
}

export interface DemoSpec {
  /** The id the demo and the soak give this provider's source. */
  sourceId: string;
  /** What the demo's config source holds besides id and provider (matched, not equal). */
  source: Record<string, unknown>;
  /** How many orders the demo walks (activity entities aside). */
  orders: number;
  /** Every provider status the demo's orders end in, i.e. its terminal statuses. */
  terminal: (string | number)[];
  /** The demo order ids, with the run's nonce in them. */
  orderId: RegExp;
}

/** Runs the checks; the simulator is started for the demo check only. */
export function descriptorSuite(provider: ProviderKey, want: DescriptorSpec, demo: DemoSpec): void {
  describe(`${provider} descriptors`, () => {
    const cleanups: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      for (const c of cleanups.splice(0).reverse()) await c();
    });

    it('engine: the config schema, heartbeat, catch-up and connection kind', () => {
      const d = ENGINE_PROVIDERS[provider];
      const parsed = d.schema.safeParse(want.sample);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
      expect(parsed.data?.provider).toBe(provider);
      // The schema answers only for its own provider.
      expect(d.schema.safeParse({ ...want.sample, provider: 'elsewhere' }).success).toBe(false);
      expect(sourceSchemas[provider]).toBe(d.schema);
      expect(d.defaultHeartbeatMs).toBe(want.heartbeatMs);
      expect(d.catchUp.mode).toBe(want.catchUp);
      expect(d.catchUp.requires).toBe(want.catchUpRequires);
      expect(d.connect.kind).toBe(want.connect);
    });

    it.each(want.statuses)('engine: status %s → %s', (code, status) => {
      expect(STATUS_TABLES[provider][code]?.status).toBe(status);
    });

    it.each(want.authFailures)('engine: auth failure %j → %s', (signal, reason) => {
      expect(authFailureFor(ENGINE_PROVIDERS[provider].authFailures, signal)).toBe(reason);
    });

    it('window: the secret fields, redacted and never shown', () => {
      const info = PROVIDER_INFO[provider];
      expect(info.fields.filter((f) => f.kind === 'secret').map((f) => f.name)).toEqual(
        want.secrets,
      );
      for (const name of want.secrets) {
        expect(isSecretField(provider, name)).toBe(true);
        expect(SECRET_FIELDS).toContain(name);
      }
    });

    it('simulator: valid demo and soak sources, and a demo script that ends every order terminal', async () => {
      const sim = await SIMULATORS[provider].start();
      cleanups.push(() => sim.close());
      expect(sim.provider).toBe(provider);
      expect(SIMULATORS[provider].sourceId).toBe(demo.sourceId);

      const nonce = newRunNonce();
      const script = demoScripts(nonce)[provider];
      expect(scriptDurationMs(script)).toBeLessThanOrEqual(56_000);
      expect(scriptOrderIds(script)).toHaveLength(demo.orders);
      const source = SIMULATORS[provider].demo.source(sim, script);
      expect(source).toMatchObject({ id: demo.sourceId, provider, ...demo.source });
      const { config, warnings } = parseConfig({ sources: [source] });
      expect(warnings).toEqual([]);
      expect(config.sources).toHaveLength(1);

      // The soak watches the same simulator under the same source id (it waits on that id).
      const soak = SIMULATORS[provider].soak.source(sim, ['soak-1']);
      expect(soak).toMatchObject({ id: demo.sourceId, provider });
      expect(parseConfig({ sources: [soak] }).warnings).toEqual([]);

      await sim.runScript(script, 200);
      const finals = [...sim.orders().values()];
      expect(new Set(finals)).toEqual(new Set(demo.terminal));
      for (const status of finals) {
        const entry = STATUS_TABLES[provider][String(status)];
        expect(entry && isTerminal(entry.status), `${status} is terminal`).toBe(true);
      }
      for (const id of sim.orders().keys()) {
        expect(id).toContain(nonce);
        expect(id).toMatch(demo.orderId);
      }
    });

    // The soak sends prototype keys in `soak.frame`: the frame must be one the adapter reads, or
    // the soak would prove nothing about its status table. With a real status in the key's place
    // it is an order line; the keys sent before it on the same link make none.
    it('simulator: the soak frame is an order frame the engine reads; prototype keys in it are not', async () => {
      const soak = SIMULATORS[provider].soak;
      const sim = await SIMULATORS[provider].start({ strict: true });
      cleanups.push(() => sim.close());
      expect(sim.strict).toBe(true);
      const steps = soak.lifecycle({ next: () => 0.5, pick: (items) => items[0] as never });
      const [first, last] = [steps[0], steps.at(-1)];
      if (first === undefined || last === undefined) throw new Error('empty soak lifecycle');
      const id = 'soak-frame-1';
      // Known at the provider before the client connects (SatoriEx: listed, so it is the user's).
      sim.setStatus(id, first, { restOnly: true, ...soak.statusOptions });
      const w = await watch([{ ...soak.source(sim, [id]), heartbeatIntervalMs: 1_000 }]);
      cleanups.push(() => w.stop());
      await w.until(() => stateOf(w, demo.sourceId) === 'connected', 'connected', 10_000);
      await w.until(() => sim.connections() > 0, 'the simulator sees the client');
      for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])
        sim.sendRaw(soak.frame(id, word));
      sim.sendRaw(soak.frame(id, last));
      await w.until(
        () => w.orders(id).some((o) => o.providerStatus === String(last)),
        `an order line at ${last}`,
        10_000,
      );
      const lines = w.orders(id);
      expect(lines.at(-1)).toMatchObject({
        orderId: id,
        providerStatus: String(last),
        terminal: true,
      });
      // At most the REST catch-up's line for the first status came before it.
      expect(lines.slice(0, -1).map((o) => o.providerStatus)).toEqual(
        lines.length > 1 ? [String(first)] : [],
      );
      expect(w.alerts().map((a) => a.orderId)).toEqual([id]);
    });
  });
}

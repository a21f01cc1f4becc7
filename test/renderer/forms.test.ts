import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SourceInput } from '../../src-main/shared/bridge';
import AddOrderForm from '../../src-renderer/components/AddOrderForm.svelte';
import SourceForm from '../../src-renderer/components/SourceForm.svelte';
import { PROVIDER_INFO, PROVIDERS } from '../../src-main/shared/providers';
import { fakeBridge, mountContext, sourceView } from './fixtures';

const sources = [sourceView('nx', 'nexchange', { label: 'Main' }), sourceView('hd', 'houdini')];

describe('AddOrderForm', () => {
  // typed id → inline error (null: the request goes out)
  const cases: [string, string, string | null][] = [
    ['empty', '', 'Enter an order id.'],
    ['blank', '   ', 'Enter an order id.'],
    ['too long', 'x'.repeat(129), 'At most 128 characters.'],
    ['valid, trimmed', '  ORD-1 ', null],
  ];
  it.each(cases)('%s', async (_name, typed, error) => {
    const { bridge, invoke } = fakeBridge();
    const onAdded = vi.fn();
    render(AddOrderForm, {
      props: { onAdded },
      context: mountContext({ bridge, snapshot: { sources } }),
    });
    await fireEvent.input(screen.getByLabelText('Order id'), { target: { value: typed } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch order' }));
    const input = screen.getByLabelText('Order id');
    if (error) {
      expect(screen.getByText(error)).toBeTruthy();
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(input.getAttribute('aria-describedby')).toBe('add-order-error');
      expect(invoke).not.toHaveBeenCalled();
    } else {
      await vi.waitFor(() => expect(onAdded).toHaveBeenCalledWith('nx', ['ORD-1']));
      expect(invoke).toHaveBeenCalledWith('addOrder', { source: 'nx', orderId: 'ORD-1' });
    }
  });

  it('shows the main side refusal under the field it names', async () => {
    const { bridge } = fakeBridge({
      addOrder: () => ({ ok: false, field: 'orderId', error: 'this order is already in the list' }),
    });
    render(AddOrderForm, { props: {}, context: mountContext({ bridge, snapshot: { sources } }) });
    await fireEvent.change(screen.getByLabelText('Source'), { target: { value: 'hd' } });
    await fireEvent.input(screen.getByLabelText('Order id'), { target: { value: 'DUP' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch order' }));
    expect(await screen.findByText('this order is already in the list')).toBeTruthy();
  });

  it('without sources, points to Settings', async () => {
    const { bridge, invoke } = fakeBridge();
    render(AddOrderForm, {
      props: {},
      context: mountContext({ bridge, snapshot: { sources: [] } }),
    });
    await fireEvent.input(screen.getByLabelText('Order id'), { target: { value: 'X' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Watch order' }));
    expect(screen.getByText('Add a source first (Settings).')).toBeTruthy();
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('SourceForm', () => {
  const houdini = sourceView('hd', 'houdini', {
    label: 'Houdini',
    settings: { url: 'wss://h.example/ws', partnerId: 'p-1', orders: ['A', 'B'] },
    secretsSet: { secret: true },
  });

  it('secrets are write-only: the field says "set", stays empty, and empty keeps the value', async () => {
    const { bridge, invoke } = fakeBridge();
    const onDone = vi.fn();
    render(SourceForm, {
      props: { existing: houdini, onDone, onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    const secret = screen.getByLabelText(/Secret/) as HTMLInputElement;
    expect(secret.type).toBe('password');
    expect(secret.value).toBe('');
    expect(secret.placeholder).toBe('set · leave empty to keep');
    expect(screen.getByText('set').getAttribute('data-secret-state')).toBe('set');
    expect((screen.getByLabelText(/Orders to watch/) as HTMLInputElement).value).toBe('A, B');
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    const input = invoke.mock.calls[0]?.[1] as SourceInput;
    expect(input).toMatchObject({
      replaces: 'hd',
      id: 'hd',
      provider: 'houdini',
      label: 'Houdini',
    });
    expect(input.fields).toMatchObject({ secret: '', partnerId: 'p-1', url: 'wss://h.example/ws' });
  });

  it('a changed URL asks for the secret again: said under the field, nothing sent', async () => {
    const { bridge, invoke } = fakeBridge();
    const onDone = vi.fn();
    render(SourceForm, {
      props: { existing: houdini, onDone, onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    const secret = screen.getByLabelText(/^Secret/) as HTMLInputElement;
    // Written differently, the same place: the stored secret is still kept.
    await fireEvent.input(screen.getByLabelText(/^Stream URL/), {
      target: { value: 'WSS://H.example/ws' },
    });
    expect(secret.placeholder).toBe('set · leave empty to keep');
    await fireEvent.input(screen.getByLabelText(/^Stream URL/), {
      target: { value: 'wss://elsewhere.example/ws' },
    });
    expect(secret.placeholder).toBe('enter again: the destination changed');
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(secret.getAttribute('aria-invalid')).toBe('true');
    const describedBy = secret.getAttribute('aria-describedby');
    expect(describedBy && document.getElementById(describedBy)?.textContent).toBe(
      'Enter it again: the destination changed.',
    );
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.input(secret, { target: { value: 'typed-again' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(onDone).toHaveBeenCalled());
    expect((invoke.mock.calls[0]?.[1] as SourceInput).fields).toMatchObject({
      url: 'wss://elsewhere.example/ws',
      secret: 'typed-again',
    });
  });

  // field label, typed value → inline error (new nexchange source unless said otherwise). The
  // words are the config check's (issue 11 item 4: these were "Give the source an id.",
  // "Required.", "Must be a ws://, wss://, http:// or https:// URL." and "Whole milliseconds.").
  const HEARTBEAT = 'must be a whole number of milliseconds >=1000 and <=600000';
  const ID_CHARACTERS = 'may hold only letters, digits, ".", "_" and "-"';
  const cases: [string, Record<string, string>, string, string][] = [
    ['missing id', { 'Stream URL': 'wss://x/ws' }, 'Id', 'is required'],
    ['missing url', { Id: 'nx2', 'Stream URL': '' }, 'Stream URL', 'is required'],
    [
      'bad scheme',
      { Id: 'nx2', 'Stream URL': 'ftp://x' },
      'Stream URL',
      'must be a ws/wss/http/https URL',
    ],
    ['id with spaces', { Id: 'my nx source!' }, 'Id', ID_CHARACTERS],
    ['heartbeat of 50 ms', { Id: 'nx2', 'Heartbeat (ms)': '50' }, 'Heartbeat (ms)', HEARTBEAT],
    [
      'rest url with a path',
      { Id: 'nx2', 'REST origin': 'https://h/api' },
      'REST origin',
      'must be an origin, without a path (e.g. https://api.example)',
    ],
  ];
  it.each(cases)('inline error in the config words: %s', async (_name, typed, field, error) => {
    const { bridge, invoke } = fakeBridge();
    render(SourceForm, {
      props: { onDone: vi.fn(), onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    for (const [label, value] of Object.entries(typed)) {
      await fireEvent.input(
        screen.getByLabelText(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`)),
        {
          target: { value },
        },
      );
    }
    await fireEvent.click(screen.getByRole('button', { name: 'Add source' }));
    const input = screen.getByLabelText(new RegExp(`^${field.replace(/[()]/g, '\\$&')}`));
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = input.getAttribute('aria-describedby');
    expect(describedBy && document.getElementById(describedBy)?.textContent).toBe(error);
    expect(invoke).not.toHaveBeenCalled();
    // Announced: the live region names the field and says the same words.
    const live = document.querySelector('[aria-live="assertive"]');
    expect(live?.textContent).toContain(`${field} ${error}`);
  });

  it('a new source needs its secret; the main side error lands on its field', async () => {
    const { bridge, invoke } = fakeBridge({
      saveSource: () => ({ ok: false, field: 'partnerId', error: 'must not contain ":"' }),
    });
    render(SourceForm, {
      props: { onDone: vi.fn(), onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'houdini' } });
    await fireEvent.input(screen.getByLabelText(/^Id/), { target: { value: 'hd2' } });
    await fireEvent.input(screen.getByLabelText(/^Stream URL/), { target: { value: 'wss://h/' } });
    await fireEvent.input(screen.getByLabelText(/^Partner id/), { target: { value: 'a:b' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add source' }));
    expect(screen.getByText('not set')).toBeTruthy();
    expect(screen.getAllByText('is required')).toHaveLength(1);
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText(/^Secret/), { target: { value: 's' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add source' }));
    expect(await screen.findByText('must not contain ":"')).toBeTruthy();
    expect(screen.getByLabelText(/^Partner id/).getAttribute('aria-invalid')).toBe('true');
  });

  it('labels and hints, no placeholder that looks like a value; the public URL is a real value', async () => {
    render(SourceForm, {
      props: { onDone: vi.fn(), onCancel: vi.fn() },
      context: mountContext(),
    });
    const inputs = [...document.querySelectorAll('form input:not([type="checkbox"])')];
    for (const el of inputs) {
      const input = el as HTMLInputElement;
      // Every input has a type, a label, and no placeholder (a secret's says "not set").
      expect(input.getAttribute('type')).toBeTruthy();
      expect(input.labels?.length).toBe(1);
      if (input.type !== 'password') expect(input.placeholder).toBe('');
    }
    expect((screen.getByLabelText('Id') as HTMLInputElement).type).toBe('text');
    expect((screen.getByLabelText(/^Label/) as HTMLInputElement).type).toBe('text');
    const url = screen.getByLabelText(/^Stream URL/) as HTMLInputElement;
    expect(url.type).toBe('url');
    expect(url.value).toBe('wss://api.n.exchange/orders/');
    // Another provider: its URL replaces the untouched one; Houdini has no single public URL.
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'orangepill' } });
    expect((screen.getByLabelText(/^Stream URL/) as HTMLInputElement).value).toBe(
      'wss://stream.orangepill.cloud',
    );
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'houdini' } });
    expect((screen.getByLabelText(/^Stream URL/) as HTMLInputElement).value).toBe('');
    // A typed URL is never replaced.
    await fireEvent.input(screen.getByLabelText(/^Stream URL/), {
      target: { value: 'wss://mine/ws' },
    });
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'satoriex' } });
    expect((screen.getByLabelText(/^Stream URL/) as HTMLInputElement).value).toBe('wss://mine/ws');
  });

  it.each(PROVIDERS.map((p) => [p]))(
    '%s: heartbeat and REST origin sit under "Advanced", which opens on an error there',
    async (provider) => {
      render(SourceForm, {
        props: { onDone: vi.fn(), onCancel: vi.fn() },
        context: mountContext(),
      });
      await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: provider } });
      const details = document.querySelector('details.advanced') as HTMLDetailsElement;
      expect(details.querySelector('summary')?.textContent).toBe('Advanced');
      expect(details.open).toBe(false);
      const heartbeat = screen.getByLabelText(/^Heartbeat/) as HTMLInputElement;
      expect(details.contains(heartbeat)).toBe(true);
      expect(heartbeat.type).toBe('number');
      const rest = document.querySelector('input[name="restUrl"]');
      if (rest) expect(details.contains(rest)).toBe(true);
      for (const f of PROVIDER_INFO[provider].fields.filter((x) => x.required)) {
        expect(details.contains(document.querySelector(`[name="${f.name}"]`))).toBe(false);
      }
      await fireEvent.input(screen.getByLabelText('Id'), { target: { value: 'x1' } });
      await fireEvent.input(heartbeat, { target: { value: '50' } });
      await fireEvent.click(screen.getByRole('button', { name: 'Add source' }));
      expect(details.open).toBe(true);
    },
  );

  it.each(
    PROVIDERS.filter((p) => PROVIDER_INFO[p].fields.some((f) => f.kind === 'secret')).map((p) => [
      p,
    ]),
  )(
    "%s: each credential says where it comes from, with a link to the provider's own docs",
    async (provider) => {
      const { bridge, invoke } = fakeBridge();
      render(SourceForm, {
        props: { onDone: vi.fn(), onCancel: vi.fn() },
        context: mountContext({ bridge }),
      });
      await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: provider } });
      const info = PROVIDER_INFO[provider];
      for (const f of info.fields.filter((x) => x.kind === 'secret')) {
        const input = document.querySelector(`input[name="${f.name}"]`) as HTMLInputElement;
        const help = document.getElementById(input.getAttribute('aria-describedby') ?? '');
        expect(help?.textContent?.length).toBeGreaterThan(10);
        await fireEvent.click(
          screen.getByRole('button', { name: new RegExp(`^Where to find the ${f.label}`) }),
        );
        const url = (invoke.mock.calls.at(-1)?.[1] as { url: string }).url;
        expect(invoke.mock.calls.at(-1)?.[0]).toBe('openExternal');
        expect(url).toBe(f.docs ?? info.docs);
      }
      const host = new URL(info.docs).hostname;
      expect(new URL(info.docs).protocol).toBe('https:');
      // The provider's own site, by name.
      expect(host.replace(/[^a-z]/g, '')).toContain(
        info.name
          .toLowerCase()
          .replace(/[^a-z]/g, '')
          .slice(0, 6),
      );
    },
  );

  it('Test connection sends the form, says the answer in the source bar words, never the secret', async () => {
    const { bridge, invoke } = fakeBridge({
      testSource: () => ({
        ok: true,
        outcome: 'auth_failed',
        detail: 'realm key rejected: Invalid Realm Key.',
        elapsedMs: 12,
      }),
    });
    const onDone = vi.fn();
    render(SourceForm, {
      props: { onDone, onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    await fireEvent.change(screen.getByLabelText('Provider'), { target: { value: 'orangepill' } });
    await fireEvent.input(screen.getByLabelText('Id'), { target: { value: 'op2' } });
    await fireEvent.input(screen.getByLabelText(/^Realm key/), { target: { value: 'k-123' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const status = await screen.findByText(
      'sign-in refused: realm key rejected: Invalid Realm Key.',
    );
    expect(status.closest('[role="status"]')?.getAttribute('data-outcome')).toBe('auth_failed');
    expect(invoke).toHaveBeenCalledWith(
      'testSource',
      expect.objectContaining({ id: 'op2', provider: 'orangepill' }),
    );
    expect(onDone).not.toHaveBeenCalled();
    expect(document.body.textContent).not.toContain('k-123');
  });

  it('Test connection checks the form first: refused in the config words, nothing sent', async () => {
    const { bridge, invoke } = fakeBridge();
    render(SourceForm, {
      props: { onDone: vi.fn(), onCancel: vi.fn() },
      context: mountContext({ bridge }),
    });
    await fireEvent.input(screen.getByLabelText('Id'), { target: { value: 'my nx source!' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(screen.getByText(ID_CHARACTERS)).toBeTruthy();
    expect(invoke).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Id')));
  });

  it('Escape cancels the form', async () => {
    const onCancel = vi.fn();
    render(SourceForm, {
      props: { onDone: vi.fn(), onCancel },
      context: mountContext(),
    });
    await fireEvent.keyDown(screen.getByLabelText('Id'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });
});

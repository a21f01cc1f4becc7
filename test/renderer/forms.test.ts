import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { SourceInput } from '../../src-main/shared/bridge';
import AddOrderForm from '../../src-renderer/components/AddOrderForm.svelte';
import SourceForm from '../../src-renderer/components/SourceForm.svelte';
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

  // field label, typed value → inline error (new nexchange source unless said otherwise)
  const cases: [string, Record<string, string>, string, string][] = [
    ['missing id', { 'Stream URL': 'wss://x/ws' }, 'Id', 'Give the source an id.'],
    ['missing url', { Id: 'nx2' }, 'Stream URL', 'Required.'],
    [
      'bad scheme',
      { Id: 'nx2', 'Stream URL': 'ftp://x' },
      'Stream URL',
      'Must be a ws://, wss://, http:// or https:// URL.',
    ],
    [
      'heartbeat text',
      { Id: 'nx2', 'Stream URL': 'wss://x', 'Heartbeat (ms)': 'soon' },
      'Heartbeat (ms)',
      'Whole milliseconds.',
    ],
  ];
  it.each(cases)('inline error: %s', async (_name, typed, field, error) => {
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
    expect(screen.getAllByText('Required.')).toHaveLength(1);
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.input(screen.getByLabelText(/^Secret/), { target: { value: 's' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add source' }));
    expect(await screen.findByText('must not contain ":"')).toBeTruthy();
    expect(screen.getByLabelText(/^Partner id/).getAttribute('aria-invalid')).toBe('true');
  });
});

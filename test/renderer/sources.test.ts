// Issue 11 items 5 and 8 on the whole window (App on a scripted bridge): broken sources summed up in
// one line with their lines on demand, "Edit credentials" opening the source's form in Settings,
// Escape dismissing the toasts, and the banner while the app is out of reach.
import { fireEvent, screen, within } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { describe, expect, it } from 'vitest';
import type { AlertLine } from '../../src-main/shared/lines';
import { mountApp, sourceView } from './fixtures';

const broken = [
  sourceView('op-1', 'orangepill', { state: 'auth_failed', detail: 'realm key rejected' }),
  sourceView('op-2', 'orangepill', { state: 'auth_failed', detail: 'realm key rejected' }),
  sourceView('nx-1', 'nexchange', { state: 'offline', detail: 'cannot reach it' }),
  sourceView('ok', 'nexchange'),
];

const tab = (name: string) => screen.getByRole('tab', { name: new RegExp(`^${name}`) });

describe('the source bar with broken sources', () => {
  it('says how many in one line; each line, its reason and its actions on demand', async () => {
    await mountApp({ sources: broken });
    const bar = screen.getByRole('list', { name: 'Sources' });
    expect(within(bar).getByText('3 sources need attention')).toBeTruthy();
    expect(within(bar).getByText('2 sign-in refused · 1 offline')).toBeTruthy();
    expect(bar.querySelectorAll('li.broken')).toHaveLength(0);
    // The healthy one stays in view.
    expect(bar.querySelector('[data-source="ok"]')).toBeTruthy();
    await fireEvent.click(within(bar).getByRole('button', { name: 'Show' }));
    expect(bar.querySelectorAll('li.broken')).toHaveLength(3);
    expect(
      within(bar).getAllByText('sign-in refused: realm key rejected', { selector: 'button' }),
    ).toHaveLength(2);
    expect(within(bar).getByRole('button', { name: 'Reconnect nx-1' })).toBeTruthy();
  });

  it('a single broken source shows its line at once', async () => {
    await mountApp({ sources: [broken[0] ?? sourceView('x', 'nexchange')] });
    expect(screen.getByRole('button', { name: 'Edit credentials of op-1' })).toBeTruthy();
  });

  it('"Edit credentials" opens that source\'s form in Settings', async () => {
    await mountApp({ sources: [broken[0] ?? sourceView('x', 'nexchange')] });
    await fireEvent.click(screen.getByRole('button', { name: 'Edit credentials of op-1' }));
    flushSync();
    expect(tab('Settings').getAttribute('aria-selected')).toBe('true');
    const form = screen.getByRole('form', { name: 'Edit op-1' });
    expect(within(form).getByLabelText(/^Realm key/)).toBeTruthy();
  });
});

describe('Escape and the toasts', () => {
  it('Escape dismisses the toasts', async () => {
    const { app, send } = await mountApp();
    const alert: AlertLine = {
      kind: 'alert',
      source: 'nx',
      provider: 'nexchange',
      orderId: 'DONE-1',
      status: 'completed',
      title: 'Order DONE-1 completed',
      body: 'n.exchange',
      at: '2025-06-01T12:00:00.000Z',
    };
    send([{ type: 'event', event: alert }]);
    expect(app.toasts).toHaveLength(1);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(app.toasts).toEqual([]);
  });
});

describe('the window loses the app', () => {
  it('a banner says so and the actions are off; both go when the link is back', async () => {
    const { app } = await mountApp({ sources: [broken[0] ?? sourceView('x', 'nexchange')] });
    expect(screen.queryByRole('alert')).toBeNull();
    app.setLink('closed');
    flushSync();
    expect(screen.getByRole('alert').textContent).toContain('Orderbell is out of reach.');
    expect(
      (screen.getByRole('button', { name: 'Reconnect op-1' }) as HTMLButtonElement).disabled,
    ).toBe(true);
    expect(
      (screen.getByRole('button', { name: 'Edit credentials of op-1' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
    app.setLink('open');
    flushSync();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(
      (screen.getByRole('button', { name: 'Reconnect op-1' }) as HTMLButtonElement).disabled,
    ).toBe(false);
  });
});

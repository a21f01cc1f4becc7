// The window's per-outcome sound settings and the sources muted for a while from a notification.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import AlertSounds from '../../src-renderer/components/AlertSounds.svelte';
import { fakeBridge, mountContext, snapshot, sourceView } from './fixtures';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const FAILED = 'Sound when an order fails, is refunded, expires, is canceled or deleted';
const COMPLETED = 'Sound when an order completes';

function checkbox(name: string): HTMLInputElement {
  return screen.getByLabelText(name) as HTMLInputElement;
}

describe('AlertSounds', () => {
  it('shows the defaults: failures on, completions off', () => {
    render(AlertSounds, { context: mountContext({}) });
    expect(checkbox(FAILED).checked).toBe(true);
    expect(checkbox(COMPLETED).checked).toBe(false);
  });

  it('a change sends both outcomes (the other unchanged)', async () => {
    const { bridge, invoke } = fakeBridge();
    render(AlertSounds, { context: mountContext({ bridge }) });
    await fireEvent.click(checkbox(COMPLETED));
    expect(invoke).toHaveBeenCalledWith('setPrefs', {
      outcomeSounds: { completed: true, failed: true },
    });
  });

  it('disabled while "Play a sound" is off', () => {
    const prefs = { ...snapshot().prefs, sound: false };
    render(AlertSounds, { context: mountContext({ snapshot: { prefs } }) });
    expect(checkbox(FAILED).disabled).toBe(true);
  });

  it('lists sources muted for a while (not expired ones) and unmutes one', async () => {
    const { bridge, invoke } = fakeBridge();
    const prefs = {
      ...snapshot().prefs,
      mutedUntil: { nx: NOW + 3_600_000, hd: NOW + 60_000, old: NOW - 1 },
    };
    render(AlertSounds, {
      context: mountContext({
        bridge,
        now: NOW,
        snapshot: { prefs, sources: [sourceView('nx', 'nexchange', { label: 'Main' })] },
      }),
    });
    const list = screen.getByRole('list', { name: 'Sources muted for a while' });
    expect(list.textContent).toContain('Main muted until');
    expect(list.textContent).not.toContain('old');
    // soonest first
    expect(list.textContent?.indexOf('hd')).toBeLessThan(list.textContent?.indexOf('Main') ?? 0);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Unmute' })[1] as HTMLElement);
    expect(invoke).toHaveBeenCalledWith('setPrefs', { mutedUntil: { hd: NOW + 60_000 } });
  });
});

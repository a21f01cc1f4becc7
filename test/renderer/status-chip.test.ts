import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { NormalizedStatus } from '../../src-main/shared/statuses';
import StatusChip from '../../src-renderer/components/StatusChip.svelte';

describe('StatusChip', () => {
  // status, providerStatus, label → chip text, provider text beside it (null: none shown).
  // Issue 11 changed the numeric cases: human words first, the code second ("-1 NEW" before).
  const cases: [NormalizedStatus, string | undefined, string | undefined, string, string | null][] =
    [
      ['completed', '16', 'COMPLETED', 'completed', '16'],
      ['on_hold', '9', 'PENDING KYC', 'on hold', 'pending KYC 9'],
      ['pending', '-1', 'NEW', 'pending', 'new -1'],
      ['pending', '11', 'INITIAL', 'pending', 'initial 11'],
      ['processing', '6', 'INITIATED REFUND', 'processing', 'initiated refund 6'],
      ['completed', 'transaction.done', 'transaction done', 'completed', 'transaction done'],
      ['processing', 'ORDER_PROCESSING', 'processing', 'processing', null],
      ['failed', 'withdraw_failed', undefined, 'failed', 'withdraw_failed'],
      ['refunded', undefined, undefined, 'refunded', null],
    ];
  it.each(cases)('%s / %s / %s', (status, providerStatus, label, chip, own) => {
    const { container } = render(StatusChip, { status, providerStatus, label });
    const el = container.querySelector('.chip');
    expect(el?.textContent).toBe(chip);
    expect(el?.getAttribute('data-status')).toBe(status);
    const beside = container.querySelector('.own');
    if (own === null) expect(beside).toBeNull();
    else {
      expect(beside?.textContent).toBe(own);
      expect(beside?.getAttribute('title')).toBe(`Provider status: ${providerStatus}`);
    }
  });

  it.each([
    ['-1', 'NEW'],
    ['11', 'INITIAL'],
    ['9', 'PENDING KYC'],
  ])('never leads with the code: %s %s', (code, label) => {
    const { container } = render(StatusChip, { status: 'pending', providerStatus: code, label });
    const beside = container.querySelector('.own');
    expect(beside?.textContent).not.toContain(`${code} ${label}`);
    expect(beside?.firstElementChild?.classList.contains('words')).toBe(true);
    expect(beside?.querySelector('.code')?.textContent).toBe(code);
  });

  it('each normalized status has its own color class', () => {
    render(StatusChip, { status: 'expired' });
    expect(screen.getByText('expired').className).toContain('s-expired');
  });
});

// orderbell://order/<source>/<orderId>: the links we accept and the ones we refuse (a link comes
// from anywhere: a web page, another app), and finding one among a launch's arguments.
import { describe, expect, it } from 'vitest';
import { linkInArgv, orderLink, parseOrderLink } from '../../src-main/app/deep-link.js';
import { MAX_ORDER_ID_LENGTH, MAX_SOURCE_ID_LENGTH } from '../../src-main/shared/limits.js';

describe('parseOrderLink', () => {
  const good: [string, string, { source: string; orderId: string }][] = [
    ['plain', 'orderbell://order/nx/N1', { source: 'nx', orderId: 'N1' }],
    ['trailing slash', 'orderbell://order/nx/N1/', { source: 'nx', orderId: 'N1' }],
    ['encoded slash in the id', 'orderbell://order/nx/a%2Fb', { source: 'nx', orderId: 'a/b' }],
    ['encoded space inside', 'orderbell://order/my%20src/X', { source: 'my src', orderId: 'X' }],
    ['scheme in capitals', 'ORDERBELL://order/nx/N1', { source: 'nx', orderId: 'N1' }],
    [
      'longest ids',
      `orderbell://order/${'s'.repeat(MAX_SOURCE_ID_LENGTH)}/${'o'.repeat(MAX_ORDER_ID_LENGTH)}`,
      { source: 's'.repeat(MAX_SOURCE_ID_LENGTH), orderId: 'o'.repeat(MAX_ORDER_ID_LENGTH) },
    ],
  ];
  it.each(good)('accepts %s', (_name, link, expected) => {
    expect(parseOrderLink(link)).toEqual(expected);
  });

  const bad: [string, string][] = [
    ['another scheme', 'https://order/nx/N1'],
    ['another host', 'orderbell://orders/nx/N1'],
    ['no order id', 'orderbell://order/nx'],
    ['empty order id', 'orderbell://order/nx//'],
    ['extra segment', 'orderbell://order/nx/N1/more'],
    ['query', 'orderbell://order/nx/N1?x=1'],
    ['fragment', 'orderbell://order/nx/N1#x'],
    ['credentials', 'orderbell://user:pw@order/nx/N1'],
    ['port', 'orderbell://order:99/nx/N1'],
    ['newline in the id', 'orderbell://order/nx/N1%0Aforged'],
    ['escape in the source', 'orderbell://order/n%1Bx/N1'],
    ['padded id', 'orderbell://order/nx/%20N1'],
    ['broken escape', 'orderbell://order/nx/%E0%A4%A'],
    ['source too long', `orderbell://order/${'s'.repeat(MAX_SOURCE_ID_LENGTH + 1)}/N1`],
    ['order id too long', `orderbell://order/nx/${'o'.repeat(MAX_ORDER_ID_LENGTH + 1)}`],
    ['huge link', `orderbell://order/nx/${'%41'.repeat(10_000)}`],
    ['not a url', 'orderbell:'],
    ['empty', ''],
  ];
  it.each(bad)('refuses %s', (_name, link) => {
    expect(parseOrderLink(link)).toBeUndefined();
  });

  it('orderLink and parseOrderLink round-trip awkward ids', () => {
    for (const [source, orderId] of [
      ['nx', 'N1'],
      ['a b', 'x/y?z#w'],
      ['ü', '%41'],
    ] as const) {
      expect(parseOrderLink(orderLink(source, orderId))).toEqual({ source, orderId });
    }
  });
});

describe('linkInArgv', () => {
  it('finds the link among Chromium switches, or nothing', () => {
    expect(
      linkInArgv(['/opt/Orderbell/orderbell', '--allow-file-access', 'orderbell://order/nx/N1']),
    ).toBe('orderbell://order/nx/N1');
    expect(linkInArgv(['/opt/Orderbell/orderbell', '--hidden'])).toBeUndefined();
  });
});

// The Origin n.exchange gets when the source sets none: the stream URL's own, as a browser on that
// site would send it.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/engine/config.js';
import { defaultOrigin } from '../../src-main/engine/providers/nexchange.js';

describe('defaultOrigin', () => {
  it.each([
    ['wss://api.n.exchange/orders/', 'https://api.n.exchange'],
    ['ws://127.0.0.1:8080/ws/', 'http://127.0.0.1:8080'],
    ['wss://api.n.exchange:443/orders/', 'https://api.n.exchange'],
    ['wss://api.n.exchange:8443/x?y=1', 'https://api.n.exchange:8443'],
    ['https://api.n.exchange/orders/', 'https://api.n.exchange'],
    ['http://localhost:3000/', 'http://localhost:3000'],
  ])('%s → %s', (url, origin) => {
    expect(defaultOrigin(url)).toBe(origin);
  });
});

describe('the origin field', () => {
  const parse = (origin: unknown) =>
    parseConfig({
      sources: [{ id: 'n', provider: 'nexchange', url: 'wss://api.n.exchange/orders/', origin }],
    });
  it.each([
    ['https://n.exchange', 'https://n.exchange'],
    ['https://n.exchange/app/', 'https://n.exchange'],
    ['http://localhost:8000', 'http://localhost:8000'],
  ])('%s is kept as %s', (given, kept) => {
    const { config } = parse(given);
    expect(config.sources[0]).toMatchObject({ origin: kept });
  });
  it.each(['wss://n.exchange', 'n.exchange', ''])('%j is refused', (given) => {
    expect(() => parse(given)).toThrow();
  });
});

// `--http HOST:PORT`: what it accepts, and which addresses need --http-public.
import { describe, expect, it } from 'vitest';
import {
  HttpAddressError,
  isLoopback,
  parseHttpAddress,
  publicBindRefusal,
} from '../../src-main/cli/service-http.js';

describe('--http address', () => {
  it.each([
    ['127.0.0.1:9464', '127.0.0.1', 9464],
    ['localhost:0', 'localhost', 0],
    ['[::1]:9464', '::1', 9464],
    [':9464', '127.0.0.1', 9464],
    ['9464', '127.0.0.1', 9464],
    ['0.0.0.0:80', '0.0.0.0', 80],
    ['[::]:80', '::', 80],
  ])('%s → %s port %i', (text, host, port) => {
    expect(parseHttpAddress(text)).toEqual({ host, port });
  });

  it.each(['', 'host', '127.0.0.1:', '127.0.0.1:99999', '[nope]:80', '1.2.3.4:80:80', 'a b:1'])(
    'refuses %j',
    (text) => {
      expect(() => parseHttpAddress(text)).toThrow(HttpAddressError);
    },
  );

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['my-host.lan', false],
    ['127.example.com', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback);
    expect(publicBindRefusal({ host, port: 1 }, false) === undefined).toBe(loopback);
    expect(publicBindRefusal({ host, port: 1 }, true)).toBeUndefined();
  });

  it('says what to do when it refuses', () => {
    expect(publicBindRefusal({ host: '0.0.0.0', port: 9464 }, false)).toMatch(
      /--http 0\.0\.0\.0:9464 .*beyond this machine; add --http-public/,
    );
  });
});

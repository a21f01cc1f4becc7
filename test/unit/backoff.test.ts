import { describe, expect, it } from 'vitest';
import {
  AUTH_FAILED_BACKOFF,
  DEFAULT_BACKOFF,
  backoffCeiling,
  backoffDelay,
} from '../../src-main/engine/backoff.js';

describe('backoff: exponential ceiling with a cap', () => {
  it.each([
    [0, 500],
    [1, 1_000],
    [2, 2_000],
    [5, 16_000],
    [6, 30_000],
    [50, 30_000],
  ])('attempt %i → ceiling %i ms', (attempt, ceiling) => {
    expect(backoffCeiling(DEFAULT_BACKOFF, attempt)).toBe(ceiling);
  });
});

describe('backoff: full jitter stays within [0, ceiling]', () => {
  it.each([
    [0, 0, 0],
    [0, 0.5, 250],
    [0, 0.999, 500],
    [3, 0.5, 2_000],
    [10, 1, 30_000],
  ])('attempt %i, random %f → %i ms', (attempt, r, expected) => {
    expect(backoffDelay(DEFAULT_BACKOFF, attempt, () => r)).toBe(expected);
  });

  it('spreads a crowd: 1,000 clients at attempt 4 do not land on the same instant', () => {
    const delays = Array.from({ length: 1_000 }, () => backoffDelay(DEFAULT_BACKOFF, 4));
    expect(Math.max(...delays)).toBeLessThanOrEqual(8_000);
    expect(new Set(delays.map((d) => Math.floor(d / 500))).size).toBeGreaterThan(10);
  });
});

describe('backoff after bad credentials is slow', () => {
  it.each([
    [0, 60_000],
    [1, 120_000],
    [10, 1_800_000],
  ])('attempt %i → ceiling %i ms', (attempt, ceiling) => {
    expect(backoffCeiling(AUTH_FAILED_BACKOFF, attempt)).toBe(ceiling);
  });
});

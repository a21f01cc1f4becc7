// jsdom has no layout: give elements the size of the real window (420×640) and rows a height, so
// the virtualized list renders what it would in a browser. Clipboard is a recording stub.
import { vi } from 'vitest';

Object.defineProperty(HTMLElement.prototype, 'offsetHeight', {
  configurable: true,
  get: () => 600,
});
Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 420 });
HTMLElement.prototype.getBoundingClientRect = function (): DOMRect {
  const height = this.getAttribute('role') === 'listitem' ? 54 : 600;
  return {
    x: 0,
    y: 0,
    top: 0,
    left: 0,
    bottom: height,
    right: 420,
    width: 420,
    height,
    toJSON: () => ({}),
  };
};
HTMLElement.prototype.scrollTo = function (): void {};

Object.defineProperty(navigator, 'clipboard', {
  configurable: true,
  value: { writeText: vi.fn(async () => {}) },
});

// Escape, window-wide: what is open closes, the most recently opened first (an expanded order, the
// toasts…). A form handles its own Escape (it closes itself) before this sees the key.

type Closer = () => void;

const closers: Closer[] = [];

/** While registered, Escape calls `close` (unless something opened later takes it). */
export function onEscape(close: Closer): () => void {
  closers.push(close);
  return () => {
    const i = closers.lastIndexOf(close);
    if (i >= 0) closers.splice(i, 1);
  };
}

/** The window's keydown listener (App). */
export function handleEscape(event: KeyboardEvent): void {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  const close = closers.at(-1);
  if (!close) return;
  event.preventDefault();
  close();
}

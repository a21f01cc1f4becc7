// What every part of the window shares, handed down once through a typed context instead of
// through each component's props: the state, the bridge, the clock. App sets it; tests mount a
// component with `windowContext(...)`.
import { getContext, hasContext, setContext } from 'svelte';
import type { Bridge } from '../../src-main/shared/bridge';
import type { Clock } from './clock.svelte';
import type { AppState } from './state.svelte';

export interface WindowContext {
  readonly app: AppState;
  /** Commands only: changes reach components through `app`. */
  readonly bridge: Pick<Bridge, 'invoke'>;
  readonly clock: Clock;
}

const KEY = Symbol('orderbell window');

export function setWindowContext(context: WindowContext): WindowContext {
  return setContext(KEY, context);
}

export function getWindowContext(): WindowContext {
  // A component mounted without it is a wiring mistake: say so instead of failing on `undefined`.
  if (!hasContext(KEY))
    throw new Error('no window context: mount inside App or pass windowContext()');
  return getContext<WindowContext>(KEY);
}

/** The context as `mount()` / `render()` take it, for mounting a component on its own. */
export function windowContext(context: WindowContext): Map<symbol, WindowContext> {
  return new Map([[KEY, context]]);
}

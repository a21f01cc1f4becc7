// The caps and size limits both sides apply, defined once: the main side enforces them, the window
// keeps its copies of the same lists to the same length and checks a form before sending it.

/** Recent activity and alert lines kept (the engine's snapshot, the window's lists). */
export const RECENT_LIMIT = 200;

/** Transitions kept per order, oldest first; the first one is always kept. */
export const HISTORY_LIMIT = 32;

/** Alerts held while paused or muted (oldest dropped first). */
export const HELD_LIMIT = 200;

/** Longest order id a user may add to a source's watch list. */
export const MAX_ORDER_ID_LENGTH = 128;

/** Longest source id (config file and source form alike). */
export const MAX_SOURCE_ID_LENGTH = 64;

/**
 * C0 and C1 control characters (newline, escape and the rest) and the Unicode line and paragraph
 * separators: an id holding one could move the cursor, recolour or split a log line, so ids never
 * hold them.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** Alerts kept in the attention list, read or not (oldest dropped first). */
export const ATTENTION_LIMIT = 200;

// One attempt to hand a payload to one target (contract §4). Never throws: the answer says whether
// the target took it and, for people, what it said (bounded, secrets masked by the caller).
//
// Everything is bounded so a target that hangs cannot hold anything else up: the HTTP request and
// the reading of its answer share one timeout, the answer is read up to a cap, and a command is
// killed after its time (SIGTERM, then SIGKILL after a grace period) with its output kept only as a
// short tail.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { ExecTarget, NotifyTarget, NtfyTarget, WebhookTarget } from '../../shared/notify.js';
import { isHighPriority, payloadId, summaryText, type ForwardPayload } from './payload.js';

export interface SendResult {
  ok: boolean;
  /** HTTP status and the start of the answer, or the exit code and the end of stderr. */
  detail: string;
}

export interface SendLimits {
  /** The whole HTTP exchange, answer included (default 15 s). */
  httpTimeoutMs: number;
  /** At most this much of an answer is read (default 64 KiB); the rest is dropped. */
  maxAnswerBytes: number;
  /** A command is sent SIGTERM after this (default 30 s)… */
  execTimeoutMs: number;
  /** …and SIGKILL this long after that (default 2 s). */
  execKillGraceMs: number;
  /** The tail of a command's stderr kept for the detail (default 4 KiB). */
  maxOutputBytes: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = {
  httpTimeoutMs: 15_000,
  maxAnswerBytes: 64 * 1024,
  execTimeoutMs: 30_000,
  execKillGraceMs: 2_000,
  maxOutputBytes: 4 * 1024,
};

/** How much of an answer a detail quotes. */
export const DETAIL_CHARS = 200;

export type Sender = (
  target: NotifyTarget,
  payload: ForwardPayload,
  signal?: AbortSignal,
) => Promise<SendResult>;

/** A sender with these limits. */
export function createSender(limits: Partial<SendLimits> = {}): Sender {
  const l = { ...DEFAULT_SEND_LIMITS, ...limits };
  return (target, payload, signal) => {
    switch (target.type) {
      case 'webhook':
        return sendWebhook(target, payload, l, signal);
      case 'ntfy':
        return sendNtfy(target, payload, l, signal);
      case 'exec':
        return runExec(target, payload, l, signal);
    }
  };
}

// ---- webhook -------------------------------------------------------------------------------

/** The exact bytes posted; the signature is over these. */
export function webhookBody(payload: ForwardPayload): string {
  return JSON.stringify(payload.kind === 'alert' ? payload.alert : payload.summary);
}

export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

function sendWebhook(
  target: WebhookTarget,
  payload: ForwardPayload,
  limits: SendLimits,
  signal?: AbortSignal,
): Promise<SendResult> {
  const body = webhookBody(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': payloadId(payload),
    'user-agent': 'Orderbell',
  };
  if (target.secret) headers['x-orderbell-signature'] = signatureOf(target.secret, body);
  return post(target.url, headers, body, limits, signal);
}

// ---- ntfy ----------------------------------------------------------------------------------

/**
 * A header value as ntfy reads it: plain when it is printable ASCII, else RFC 2047 encoded words
 * (ntfy decodes `=?UTF-8?B?…?=`); a title with "→" would otherwise not be a valid header at all.
 */
export function headerText(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  if (/^[\x20-\x7e]*$/.test(flat)) return flat;
  return `=?UTF-8?B?${Buffer.from(flat, 'utf8').toString('base64')}?=`;
}

function sendNtfy(
  target: NtfyTarget,
  payload: ForwardPayload,
  limits: SendLimits,
  signal?: AbortSignal,
): Promise<SendResult> {
  const alert = payload.kind === 'alert' ? payload.alert : undefined;
  const title = alert ? alert.title : payload.kind === 'summary' ? payload.summary.title : '';
  const text = alert ? alert.body : payload.kind === 'summary' ? summaryText(payload.summary) : '';
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    title: headerText(title),
    tags: alert ? alert.status : 'summary',
    priority: isHighPriority(payload) ? 'high' : 'default',
    'user-agent': 'Orderbell',
  };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  return post(target.url, headers, text, limits, signal);
}

// ---- HTTP ----------------------------------------------------------------------------------

async function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  limits: SendLimits,
  outer?: AbortSignal,
): Promise<SendResult> {
  const timeout = AbortSignal.timeout(limits.httpTimeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      signal,
      // A redirect would resend the token to wherever it points (or turn the POST into a GET):
      // it counts as a failed attempt, and the detail says where it pointed.
      redirect: 'manual',
    });
    const answer = await readCapped(res, limits.maxAnswerBytes);
    const ok = res.status >= 200 && res.status < 300;
    const where = res.status >= 300 && res.status < 400 ? ` (redirect, not followed)` : '';
    return {
      ok,
      detail: `HTTP ${res.status}${where}${answer ? `: ${answer.slice(0, DETAIL_CHARS)}` : ''}`,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = timeout.aborted
      ? `no answer within ${limits.httpTimeoutMs} ms`
      : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { ok: false, detail: `request failed: ${why}` };
  }
}

/** At most `max` bytes of the answer as text; the rest is not read. */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8').trim();
}

// ---- exec ----------------------------------------------------------------------------------

/** The `ORDERBELL_*` variables of a payload (a summary: status `summary`, the alert ids in BODY). */
export function execEnv(payload: ForwardPayload): Record<string, string> {
  if (payload.kind === 'alert') {
    const a = payload.alert;
    return {
      ORDERBELL_ID: a.id,
      ORDERBELL_SOURCE: a.source,
      ORDERBELL_PROVIDER: a.provider,
      ORDERBELL_ORDER_ID: a.orderId,
      ORDERBELL_STATUS: a.status,
      ORDERBELL_TITLE: a.title,
      ORDERBELL_BODY: a.body,
    };
  }
  const s = payload.summary;
  return {
    ORDERBELL_ID: s.id,
    ORDERBELL_SOURCE: '',
    ORDERBELL_PROVIDER: '',
    ORDERBELL_ORDER_ID: '',
    ORDERBELL_STATUS: 'summary',
    ORDERBELL_TITLE: s.title,
    ORDERBELL_BODY: s.alerts.map((a) => a.id).join('\n'),
  };
}

/**
 * The command's environment: ours (PATH, HOME, locale…) without any `ORDERBELL_*` variable of our
 * own, such as the web mode's access token, then the payload's seven, set fresh.
 */
export function execEnvironment(
  payload: ForwardPayload,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^ORDERBELL_/i.test(k)) env[k] = v;
  return { ...env, ...execEnv(payload) };
}

/**
 * Outside Windows the command runs as the leader of its own process group, and a kill reaches the
 * whole group: a script's own children (a `sleep`, a `curl`) hold its output pipes, so killing
 * only the script would leave the attempt waiting for them.
 */
const OWN_GROUP = process.platform !== 'win32';
/** After the command exits, its pipes get this long to deliver the end of stderr. */
const DRAIN_MS = 100;

function signalAll(child: ReturnType<typeof spawn>, sig: NodeJS.Signals): void {
  try {
    if (OWN_GROUP && child.pid !== undefined) process.kill(-child.pid, sig);
    else child.kill(sig);
  } catch {
    // Already gone.
  }
}

function runExec(
  target: ExecTarget,
  payload: ForwardPayload,
  limits: SendLimits,
  signal?: AbortSignal,
): Promise<SendResult> {
  return new Promise((resolve) => {
    const [program, ...args] = target.command as [string, ...string[]];
    let tail = Buffer.alloc(0);
    let settled = false;
    let killedFor: string | undefined;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(term);
      clearTimeout(drain);
      // The SIGKILL stays due once a kill began: the group's stragglers get their grace, no more.
      signal?.removeEventListener('abort', onAbort);
      child.stdout?.destroy();
      child.stderr?.destroy();
      resolve(result);
    };
    let kill: NodeJS.Timeout | undefined;
    let drain: NodeJS.Timeout | undefined;
    const stop = (why: string) => {
      if (killedFor) return;
      killedFor = why;
      signalAll(child, 'SIGTERM');
      kill = setTimeout(() => signalAll(child, 'SIGKILL'), limits.execKillGraceMs);
      kill.unref();
    };
    const onAbort = () => stop('stopped');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, {
        shell: false,
        env: execEnvironment(payload),
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
        detached: OWN_GROUP,
      });
    } catch (err) {
      resolve({ ok: false, detail: `cannot run ${program}: ${(err as Error).message}` });
      return;
    }
    const term = setTimeout(
      () => stop(`killed after ${limits.execTimeoutMs} ms`),
      limits.execTimeoutMs,
    );
    term.unref();
    signal?.addEventListener('abort', onAbort);
    // stdout is read and dropped (a full pipe would block the command); stderr keeps its tail.
    child.stdout?.resume();
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > limits.maxOutputBytes)
        tail = tail.subarray(tail.length - limits.maxOutputBytes);
    });
    child.on('error', (err) =>
      finish({ ok: false, detail: `cannot run ${program}: ${err.message}` }),
    );
    // Settled when the command itself ends ('exit'), not when every holder of its pipes has
    // ('close'): a child it left behind must not stretch the attempt.
    let ended: { code: number | null; sig: NodeJS.Signals | null } | undefined;
    const settle = () => {
      if (!ended) return;
      const err = tail.toString('utf8').trim().slice(-DETAIL_CHARS);
      const how =
        killedFor ?? (ended.code !== null ? `exit ${ended.code}` : `ended by ${ended.sig}`);
      finish({
        ok: killedFor === undefined && ended.code === 0,
        detail: `${how}${err ? `: ${err}` : ''}`,
      });
    };
    child.on('exit', (code, sig) => {
      ended = { code, sig };
      drain = setTimeout(settle, DRAIN_MS);
      drain.unref();
    });
    child.on('close', settle);
  });
}

// The quiet-hours summary as a target receives it (docs/config.md, "Quiet hours"): the webhook
// body's keys and the human `body` text.
import { describe, expect, it } from 'vitest';
import {
  SUMMARY_BODY_IDS,
  summaryBody,
  summaryOf,
  type ForwardAlert,
} from '../../src-main/engine/forward/payload.js';
import { execEnv, webhookBody } from '../../src-main/engine/forward/send.js';
import type { NormalizedStatus } from '../../src-main/engine/types.js';

const alert = (orderId: string, status: NormalizedStatus): ForwardAlert => ({
  id: `hd:${orderId}:${status}`,
  source: 'hd',
  provider: 'houdini',
  orderId,
  status,
  title: `Order ${orderId} ${status}`,
  body: 'text',
  at: '2024-06-01T23:00:00.000Z',
});

const many = Array.from({ length: SUMMARY_BODY_IDS + 2 }, (_, i) => alert(`O${i}`, 'completed'));

describe('summaryBody', () => {
  it.each([
    ['none', [], '0 alerts during quiet hours.'],
    ['one', [alert('A', 'completed')], '1 alert during quiet hours: 1 completed.\nhd:A:completed'],
    [
      'counts per status, in order of first appearance',
      [alert('A', 'completed'), alert('B', 'refunded'), alert('C', 'completed')],
      '3 alerts during quiet hours: 2 completed, 1 refunded.\nhd:A:completed\nhd:B:refunded\nhd:C:completed',
    ],
    [
      `past ${SUMMARY_BODY_IDS} ids, the rest counted`,
      many,
      [
        `${many.length} alerts during quiet hours: ${many.length} completed.`,
        ...many.slice(0, SUMMARY_BODY_IDS).map((a) => a.id),
        '… and 2 more',
      ].join('\n'),
    ],
  ] as const)('%s', (_what, alerts, text) => {
    expect(summaryBody([...alerts])).toBe(text);
  });
});

describe('the summary payload', () => {
  const s = summaryOf('summary:2024-06-02T07:00:00.000Z', '2024-06-02T07:00:05.000Z', [
    alert('A', 'completed'),
    alert('B', 'failed'),
  ]);

  it('webhook: the alert keys first (contract shape), then kind, count, alerts', () => {
    const body = JSON.parse(webhookBody({ kind: 'summary', summary: s })) as Record<
      string,
      unknown
    >;
    expect(Object.keys(body)).toEqual([
      'id',
      'source',
      'provider',
      'orderId',
      'status',
      'title',
      'body',
      'at',
      'kind',
      'count',
      'alerts',
    ]);
    expect(body).toMatchObject({ status: 'summary', source: '', provider: '', orderId: '' });
  });

  it('exec: the same id, status and title as the webhook body', () => {
    const env = execEnv({ kind: 'summary', summary: s });
    expect(env).toMatchObject({
      ORDERBELL_ID: s.id,
      ORDERBELL_STATUS: s.status,
      ORDERBELL_TITLE: s.title,
      ORDERBELL_SOURCE: '',
    });
  });
});

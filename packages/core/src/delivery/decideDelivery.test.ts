import { describe, expect, it } from 'vitest';
import {
  decideDelivery,
  historyNeededSince,
  ledgerEntryFor,
  validateDeliveryMember,
} from './decideDelivery.ts';
import {
  defaultDeliveryPolicy,
  type DeliveryContext,
  type DeliveryDecision,
  type DeliveryMember,
  type DeliveryRequest,
  type LedgerEntry,
  type MessagePriority,
} from './deliveryTypes.ts';
import { orderByPriority } from './orderByPriority.ts';

const shanghai = 'Asia/Shanghai';
const newYork = 'America/New_York';
const london = 'Europe/London';

function member(timeZone: string, over: Partial<DeliveryMember> = {}): DeliveryMember {
  return {
    timeZone,
    channelConsent: { 'in-app': true, sms: true },
    marketingConsent: false,
    ...over,
  };
}

function sent(at: string, priority: MessagePriority = 'care', over: Partial<LedgerEntry> = {}) {
  return { at, priority, channel: 'in-app', outcome: 'sent', ...over } satisfies LedgerEntry;
}

const care: DeliveryRequest = { priority: 'care', channel: 'in-app' };

function decide(
  request: DeliveryRequest,
  now: string,
  over: Partial<DeliveryContext> & { member: DeliveryMember },
): DeliveryDecision {
  return decideDelivery(request, {
    history: [],
    lastInteractionAt: null,
    now: new Date(now),
    ...over,
  });
}

function deferredUntil(d: DeliveryDecision): string {
  if (d.action !== 'defer') throw new Error(`expected defer, got ${JSON.stringify(d)}`);
  return new Date(d.until).toISOString();
}

describe('daily cap (3 care messages per member per local day)', () => {
  // Shanghai is UTC+8 all year: local 09:00, 12:00, 15:00 on 2026-05-11.
  const threeToday = [
    sent('2026-05-11T01:00:00Z'),
    sent('2026-05-11T04:00:00Z', 'clinical'),
    sent('2026-05-11T07:00:00Z', 'engagement'),
  ];

  it('sends the 3rd care message of the day', () => {
    const d = decide(care, '2026-05-11T10:00:00Z', {
      member: member(shanghai),
      history: threeToday.slice(0, 2),
    });
    expect(d).toEqual({ action: 'send', countsTowardCap: true, channel: 'in-app' });
  });

  it('defers the 4th care message on the same local day to the next morning, not losing it', () => {
    const d = decide(care, '2026-05-11T10:00:00Z', {
      member: member(shanghai),
      history: threeToday,
    });
    expect(d.action).toBe('defer');
    if (d.action !== 'defer') return;
    expect(d.reason).toBe('daily-cap');
    // 2026-05-12 08:00 Asia/Shanghai, the end of default quiet hours.
    expect(deferredUntil(d)).toBe('2026-05-12T00:00:00.000Z');
    expect(d.detail).toContain('3 of 3');
  });

  it('counts the member’s local day, not the UTC day', () => {
    // 15:00–15:59Z on 2026-05-10 is 23:00–23:59 local on the 10th: yesterday for the member.
    const lateYesterday = [
      sent('2026-05-10T15:00:00Z'),
      sent('2026-05-10T15:30:00Z'),
      sent('2026-05-10T15:59:00Z'),
    ];
    expect(
      decide(care, '2026-05-11T01:00:00Z', { member: member(shanghai), history: lateYesterday })
        .action,
    ).toBe('send');
    // 16:00Z on the 10th is 00:00 local on the 11th: today.
    const justAfterMidnight = [...lateYesterday.slice(1), sent('2026-05-10T16:00:00Z')];
    const withToday = [
      ...justAfterMidnight,
      sent('2026-05-10T16:01:00Z'),
      sent('2026-05-10T16:02:00Z'),
    ];
    expect(
      decide(care, '2026-05-11T01:00:00Z', { member: member(shanghai), history: withToday }).action,
    ).toBe('defer');
  });

  it('ignores deferred and suppressed rows when counting', () => {
    const history: LedgerEntry[] = [
      ...threeToday.slice(0, 2),
      { ...sent('2026-05-11T07:00:00Z'), outcome: 'deferred' },
      { ...sent('2026-05-11T07:10:00Z'), outcome: 'suppressed' },
    ];
    expect(decide(care, '2026-05-11T10:00:00Z', { member: member(shanghai), history }).action).toBe(
      'send',
    );
  });

  it('honours a configured cap', () => {
    const policy = { ...defaultDeliveryPolicy, dailyCareCap: 2 };
    const d = decide(care, '2026-05-11T10:00:00Z', {
      member: member(shanghai),
      history: threeToday.slice(0, 2),
      policy,
    });
    expect(d.action === 'defer' && d.reason).toBe('daily-cap');
  });
});

describe('red flags', () => {
  const capFull = [
    sent('2026-05-11T01:00:00Z'),
    sent('2026-05-11T04:00:00Z'),
    sent('2026-05-11T07:00:00Z'),
  ];

  it('sends a red flag at 23:30 local after the cap, inside quiet hours, and counts it', () => {
    // 15:30Z = 23:30 Asia/Shanghai.
    const d = decide(
      { priority: 'red-flag', channel: 'in-app', dedupeKey: 'bp-185-112' },
      '2026-05-11T15:30:00Z',
      {
        member: member(shanghai),
        history: [
          ...capFull,
          sent('2026-05-11T15:00:00Z', 'red-flag', { dedupeKey: 'bp-185-112' }),
        ],
        lastInteractionAt: '2026-04-01T00:00:00Z',
      },
    );
    expect(d.action).toBe('send');
    expect(d.action === 'send' && d.countsTowardCap).toBe(true);
  });

  it('uses up the day’s budget: after a red flag and two care messages the next care message defers', () => {
    const history = [
      sent('2026-05-11T01:00:00Z', 'red-flag'),
      sent('2026-05-11T02:00:00Z'),
      sent('2026-05-11T03:00:00Z'),
    ];
    const d = decide(care, '2026-05-11T04:00:00Z', { member: member(shanghai), history });
    expect(d.action === 'defer' && d.reason).toBe('daily-cap');
  });

  it('falls back to the most immediate consented channel when the requested one lacks consent', () => {
    const m = member(shanghai, { channelConsent: { sms: false, wechat: true } });
    const d = decide({ priority: 'red-flag', channel: 'sms' }, '2026-05-11T04:00:00Z', {
      member: m,
    });
    expect(d).toMatchObject({ action: 'send', channel: 'wechat' });
    expect(d.action === 'send' && d.note).toContain("no consent for 'sms'");
  });

  it('falls back to the in-app inbox when no channel is consented', () => {
    const m = member(shanghai, { channelConsent: { 'in-app': false } });
    const d = decide({ priority: 'red-flag', channel: 'email' }, '2026-05-11T04:00:00Z', {
      member: m,
    });
    expect(d).toMatchObject({ action: 'send', channel: 'in-app' });
  });
});

describe('quiet hours (default 22:00–08:00 local)', () => {
  it('sends at 21:59 and defers at 22:00 to 08:00 the next day', () => {
    const m = member(shanghai);
    expect(decide(care, '2026-05-11T13:59:00Z', { member: m }).action).toBe('send');
    const d = decide(care, '2026-05-11T14:00:00Z', { member: m });
    expect(d.action === 'defer' && d.reason).toBe('quiet-hours');
    expect(deferredUntil(d)).toBe('2026-05-12T00:00:00.000Z');
  });

  it('defers at 07:59 to 08:00 the same morning and sends at 08:00', () => {
    const m = member(shanghai);
    expect(deferredUntil(decide(care, '2026-05-10T23:59:00Z', { member: m }))).toBe(
      '2026-05-11T00:00:00.000Z',
    );
    expect(decide(care, '2026-05-11T00:00:00Z', { member: m }).action).toBe('send');
  });

  it('uses the member’s own quiet hours when set', () => {
    const m = member(shanghai, { quietHours: { start: '23:00', end: '07:00' } });
    expect(decide(care, '2026-05-11T14:30:00Z', { member: m }).action).toBe('send'); // 22:30
    expect(deferredUntil(decide(care, '2026-05-11T15:00:00Z', { member: m }))).toBe(
      '2026-05-11T23:00:00.000Z', // 07:00 local
    );
  });

  it('supports a daytime window and start === end meaning none', () => {
    const nap = member(shanghai, { quietHours: { start: '13:00', end: '14:00' } });
    expect(decide(care, '2026-05-11T04:59:00Z', { member: nap }).action).toBe('send'); // 12:59
    expect(deferredUntil(decide(care, '2026-05-11T05:00:00Z', { member: nap }))).toBe(
      '2026-05-11T06:00:00.000Z',
    );
    const none = member(shanghai, { quietHours: { start: '00:00', end: '00:00' } });
    expect(decide(care, '2026-05-11T18:00:00Z', { member: none }).action).toBe('send'); // 02:00
  });

  it('follows British Summer Time in Europe/London', () => {
    const m = member(london);
    // 21:30Z is 22:30 BST in July (quiet) but 21:30 GMT in January (not quiet).
    const summer = decide(care, '2026-07-01T21:30:00Z', { member: m });
    expect(deferredUntil(summer)).toBe('2026-07-02T07:00:00.000Z');
    expect(decide(care, '2026-01-15T21:30:00Z', { member: m }).action).toBe('send');
  });
});

describe('DST changes in America/New_York', () => {
  it('defers over the spring-forward night (2026-03-08) to 08:00 EDT', () => {
    // 2026-03-07 15:00 EST = 20:00Z; cap full that day.
    const history = [
      sent('2026-03-07T14:00:00Z'),
      sent('2026-03-07T16:00:00Z'),
      sent('2026-03-07T18:00:00Z'),
    ];
    const d = decide(care, '2026-03-07T20:00:00Z', { member: member(newYork), history });
    // 08:00 EDT (UTC−4) on 2026-03-08, not 13:00Z as a fixed −5 offset would give.
    expect(deferredUntil(d)).toBe('2026-03-08T12:00:00.000Z');
  });

  it('ends quiet hours at 08:00 EDT on the change day', () => {
    // 01:30 EST = 06:30Z, before the 02:00 jump.
    const d = decide(care, '2026-03-08T06:30:00Z', { member: member(newYork) });
    expect(d.action === 'defer' && d.reason).toBe('quiet-hours');
    expect(deferredUntil(d)).toBe('2026-03-08T12:00:00.000Z');
  });

  it('defers over the fall-back night (2026-11-01) to 08:00 EST', () => {
    const history = [
      sent('2026-10-31T13:00:00Z'),
      sent('2026-10-31T15:00:00Z'),
      sent('2026-10-31T17:00:00Z'),
    ];
    const d = decide(care, '2026-10-31T19:00:00Z', { member: member(newYork), history });
    expect(deferredUntil(d)).toBe('2026-11-01T13:00:00.000Z');
  });

  it('counts the 25-hour local day of 2026-11-01 as one day', () => {
    const m = member(newYork, { quietHours: { start: '00:00', end: '00:00' } });
    // 00:30 EDT, 01:30 EDT and 01:30 EST (the hour repeats) on 2026-11-01.
    const history = [
      sent('2026-11-01T04:30:00Z'),
      sent('2026-11-01T05:30:00Z'),
      sent('2026-11-01T06:30:00Z'),
    ];
    // 23:30 EST on 2026-11-01 is 04:30Z on the 2nd: 24 h after the first send, still the same local day.
    const d = decide(care, '2026-11-02T04:30:00Z', { member: m, history });
    expect(d.action === 'defer' && d.reason).toBe('daily-cap');
    expect(deferredUntil(d)).toBe('2026-11-02T05:00:00.000Z'); // local midnight, no quiet hours
    // One minute after local midnight the new day has room.
    expect(decide(care, '2026-11-02T05:00:00Z', { member: m, history }).action).toBe('send');
  });
});

describe('silent-member backoff', () => {
  const now = '2026-05-11T04:00:00Z'; // 12:00 Shanghai
  const twoToday = [sent('2026-05-11T01:00:00Z'), sent('2026-05-11T02:00:00Z')];

  it('halves the cap (3 → 2) after exactly 3 days without interaction', () => {
    const d = decide(care, now, {
      member: member(shanghai),
      history: twoToday,
      lastInteractionAt: '2026-05-08T04:00:00Z',
    });
    expect(d.action === 'defer' && d.reason).toBe('silent-member-backoff');
    expect(deferredUntil(d)).toBe('2026-05-12T00:00:00.000Z');
  });

  it('does not back off one minute before 3 days, nor when there is no interaction on record', () => {
    const m = member(shanghai);
    expect(
      decide(care, now, { member: m, history: twoToday, lastInteractionAt: '2026-05-08T04:01:00Z' })
        .action,
    ).toBe('send');
    expect(
      decide(care, now, { member: m, history: twoToday, lastInteractionAt: null }).action,
    ).toBe('send');
  });

  it('counts a key behaviour as an interaction', () => {
    const d = decide(care, now, {
      member: member(shanghai),
      history: twoToday,
      lastInteractionAt: '2026-05-01T00:00:00Z',
      lastKeyBehaviourAt: '2026-05-10T00:00:00Z',
    });
    expect(d.action).toBe('send');
  });

  it('allows engagement messages once per two local days while silent', () => {
    const engagement: DeliveryRequest = { priority: 'engagement', channel: 'in-app' };
    const m = member(shanghai);
    const silent = '2026-05-01T00:00:00Z';
    // Sent yesterday (10th, local) → next allowed on the 12th at 08:00.
    const yesterday = [sent('2026-05-10T02:00:00Z', 'engagement')];
    const d = decide(engagement, now, { member: m, history: yesterday, lastInteractionAt: silent });
    expect(d.action === 'defer' && d.reason).toBe('silent-member-backoff');
    expect(deferredUntil(d)).toBe('2026-05-12T00:00:00.000Z');
    // Sent two days ago (9th, local) → allowed today.
    const twoDaysAgo = [sent('2026-05-09T02:00:00Z', 'engagement')];
    expect(
      decide(engagement, now, { member: m, history: twoDaysAgo, lastInteractionAt: silent }).action,
    ).toBe('send');
    // The same history does not hold back a clinical message, nor an engagement one once they interact.
    expect(
      decide({ priority: 'clinical', channel: 'in-app' }, now, {
        member: m,
        history: yesterday,
        lastInteractionAt: silent,
      }).action,
    ).toBe('send');
    expect(
      decide(engagement, now, {
        member: m,
        history: yesterday,
        lastInteractionAt: '2026-05-11T03:00:00Z',
      }).action,
    ).toBe('send');
  });
});

describe('reinforcement within 3 h of a key behaviour', () => {
  const reinforce: DeliveryRequest = {
    priority: 'care',
    channel: 'in-app',
    purpose: 'reinforcement',
  };
  const now = '2026-05-11T04:00:00Z';

  it('sends inside the window and suppresses just outside it', () => {
    const m = member(shanghai);
    expect(
      decide(reinforce, now, { member: m, lastKeyBehaviourAt: '2026-05-11T01:00:00Z' }).action,
    ).toBe('send');
    const late = decide(reinforce, now, { member: m, lastKeyBehaviourAt: '2026-05-11T00:59:59Z' });
    expect(late.action === 'suppress' && late.reason).toBe('reinforcement-window-closed');
    const none = decide(reinforce, now, { member: m, lastKeyBehaviourAt: null });
    expect(none.action === 'suppress' && none.reason).toBe('reinforcement-window-closed');
  });

  it('goes out over the cap once per key behaviour; a second one is dropped, not deferred', () => {
    const m = member(shanghai);
    const full = [
      sent('2026-05-11T01:00:00Z'),
      sent('2026-05-11T02:00:00Z'),
      sent('2026-05-11T02:30:00Z'),
    ];
    const first = decide(reinforce, now, {
      member: m,
      history: full,
      lastKeyBehaviourAt: '2026-05-11T03:00:00Z',
    });
    expect(first).toMatchObject({ action: 'send', countsTowardCap: true });
    expect(first.action === 'send' && first.note).toContain('over the daily cap');
    const second = decide(reinforce, '2026-05-11T04:30:00Z', {
      member: m,
      history: [...full, sent(now, 'care', { purpose: 'reinforcement' })],
      lastKeyBehaviourAt: '2026-05-11T03:00:00Z',
    });
    expect(second.action === 'suppress' && second.reason).toBe('reinforcement-window-closed');
  });

  it('is dropped when quiet hours outlast the window', () => {
    // Key behaviour 21:30 local, request at 22:10 local: quiet until 08:00, window closes 00:30.
    const d = decide(reinforce, '2026-05-11T14:10:00Z', {
      member: member(shanghai),
      lastKeyBehaviourAt: '2026-05-11T13:30:00Z',
    });
    expect(d.action === 'suppress' && d.reason).toBe('reinforcement-window-closed');
    expect(d.action === 'suppress' && d.detail).toContain('quiet hours');
  });
});

describe('channel consent', () => {
  const now = '2026-05-11T04:00:00Z';
  it('needs an explicit yes for channels outside the app', () => {
    const m = member(shanghai, { channelConsent: { sms: true } });
    expect(decide({ priority: 'care', channel: 'sms' }, now, { member: m }).action).toBe('send');
    const d = decide({ priority: 'care', channel: 'email' }, now, { member: m });
    expect(d.action === 'suppress' && d.reason).toBe('no-channel-consent');
  });

  it('allows in-app unless the member opted out', () => {
    expect(decide(care, now, { member: member(shanghai, { channelConsent: {} }) }).action).toBe(
      'send',
    );
    const d = decide(care, now, {
      member: member(shanghai, { channelConsent: { 'in-app': false } }),
    });
    expect(d.action === 'suppress' && d.detail).toContain('opted out');
  });
});

describe('marketing', () => {
  const now = '2026-05-11T04:00:00Z';
  const promo: DeliveryRequest = { priority: 'marketing', channel: 'in-app', promotional: true };

  it('needs marketing consent', () => {
    const d = decide(promo, now, { member: member(shanghai) });
    expect(d.action === 'suppress' && d.reason).toBe('no-marketing-consent');
    expect(
      decide(promo, now, { member: member(shanghai, { marketingConsent: true }) }).action,
    ).toBe('send');
  });

  it('never rides inside a care message, whatever its priority', () => {
    const m = member(shanghai, { marketingConsent: true });
    for (const priority of ['care', 'clinical', 'engagement', 'red-flag'] as const) {
      const d = decide({ priority, channel: 'in-app', promotional: true }, now, { member: m });
      expect(d.action === 'suppress' && d.reason).toBe('promotion-in-care');
    }
    const byPurpose = decide({ ...care, purpose: 'promotion' }, now, { member: m });
    expect(byPurpose.action === 'suppress' && byPurpose.reason).toBe('promotion-in-care');
  });

  it('counts toward the daily cap', () => {
    const m = member(shanghai, { marketingConsent: true });
    const history = [
      sent('2026-05-11T01:00:00Z', 'marketing'),
      sent('2026-05-11T02:00:00Z', 'marketing'),
      sent('2026-05-11T03:00:00Z', 'marketing'),
    ];
    const d = decide(care, now, { member: m, history });
    expect(d.action === 'defer' && d.reason).toBe('daily-cap');
  });
});

describe('dedupe of equivalent messages (24 h)', () => {
  const now = '2026-05-11T04:00:00Z';
  const req: DeliveryRequest = { ...care, dedupeKey: 'htn-reminder' };

  it('suppresses a duplicate sent within 24 h and sends one sent earlier', () => {
    const m = member(shanghai);
    const within = [sent('2026-05-10T04:00:01Z', 'care', { dedupeKey: 'htn-reminder' })];
    const d = decide(req, now, { member: m, history: within });
    expect(d.action === 'suppress' && d.reason).toBe('duplicate');
    const outside = [sent('2026-05-10T04:00:00Z', 'care', { dedupeKey: 'htn-reminder' })];
    expect(decide(req, now, { member: m, history: outside }).action).toBe('send');
  });

  it('ignores other keys and rows that were only deferred', () => {
    const m = member(shanghai);
    const history: LedgerEntry[] = [
      sent('2026-05-11T01:00:00Z', 'care', { dedupeKey: 'other' }),
      {
        ...sent('2026-05-11T02:00:00Z', 'care', { dedupeKey: 'htn-reminder' }),
        outcome: 'deferred',
      },
    ];
    expect(decide(req, now, { member: m, history }).action).toBe('send');
  });

  it('never suppresses a red flag as a duplicate', () => {
    const history = [sent('2026-05-11T03:00:00Z', 'red-flag', { dedupeKey: 'htn-reminder' })];
    expect(
      decide({ ...req, priority: 'red-flag' }, now, { member: member(shanghai), history }).action,
    ).toBe('send');
  });
});

describe('best send hour', () => {
  const full = [
    sent('2026-05-11T01:00:00Z'),
    sent('2026-05-11T02:00:00Z'),
    sent('2026-05-11T03:00:00Z'),
  ];
  it('moves a deferred care message to the member’s best hour the next day', () => {
    const d = decide(care, '2026-05-11T04:00:00Z', {
      member: member(shanghai, { bestSendHour: 19 }),
      history: full,
    });
    expect(deferredUntil(d)).toBe('2026-05-12T11:00:00.000Z'); // 19:00 local
  });

  it('keeps clinical messages at the window start, and ignores a best hour inside quiet hours', () => {
    const clinical = decide({ priority: 'clinical', channel: 'in-app' }, '2026-05-11T04:00:00Z', {
      member: member(shanghai, { bestSendHour: 19 }),
      history: full,
    });
    expect(deferredUntil(clinical)).toBe('2026-05-12T00:00:00.000Z');
    const quietBest = decide(care, '2026-05-11T04:00:00Z', {
      member: member(shanghai, { bestSendHour: 23 }),
      history: full,
    });
    expect(deferredUntil(quietBest)).toBe('2026-05-12T00:00:00.000Z');
  });
});

describe('priority classes when the budget is tight', () => {
  it('decides the higher class first so lower classes are the ones deferred', () => {
    const m = member(shanghai, { marketingConsent: true });
    const now = new Date('2026-05-11T04:00:00Z');
    const due: DeliveryRequest[] = [
      { priority: 'marketing', channel: 'in-app', promotional: true },
      { priority: 'engagement', channel: 'in-app' },
      { priority: 'clinical', channel: 'in-app' },
      { priority: 'care', channel: 'in-app' },
    ];
    const history: LedgerEntry[] = [sent('2026-05-11T01:00:00Z')];
    const outcomes: [MessagePriority, string][] = [];
    for (const request of orderByPriority(due)) {
      const decision = decideDelivery(request, {
        member: m,
        history,
        lastInteractionAt: null,
        now,
      });
      history.push(ledgerEntryFor(request, decision, now));
      outcomes.push([request.priority, decision.action]);
    }
    expect(outcomes).toEqual([
      ['clinical', 'send'],
      ['care', 'send'],
      ['engagement', 'defer'],
      ['marketing', 'defer'],
    ]);
    expect(history.filter((e) => e.outcome === 'deferred').map((e) => e.reason)).toEqual([
      expect.stringMatching(/^daily-cap: /),
      expect.stringMatching(/^daily-cap: /),
    ]);
  });

  it('orders stably within a class', () => {
    const xs = [
      { priority: 'care' as const, id: 1 },
      { priority: 'red-flag' as const, id: 2 },
      { priority: 'care' as const, id: 3 },
      { priority: 'marketing' as const, id: 4 },
      { priority: 'clinical' as const, id: 5 },
    ];
    expect(orderByPriority(xs).map((x) => x.id)).toEqual([2, 5, 1, 3, 4]);
    expect(xs[0]?.id).toBe(1); // input untouched
  });
});

describe('ledger rows', () => {
  it('records the channel actually used and the reason', () => {
    const now = new Date('2026-05-11T04:00:00Z');
    const req: DeliveryRequest = { priority: 'red-flag', channel: 'sms', dedupeKey: 'k' };
    const row = ledgerEntryFor(
      req,
      { action: 'send', countsTowardCap: true, channel: 'in-app', note: 'fallback' },
      now,
    );
    expect(row).toEqual({
      at: '2026-05-11T04:00:00.000Z',
      priority: 'red-flag',
      channel: 'in-app',
      outcome: 'sent',
      dedupeKey: 'k',
      purpose: null,
      reason: 'fallback',
    });
    const suppressed = ledgerEntryFor(
      care,
      { action: 'suppress', reason: 'duplicate', detail: 'x' },
      now,
    );
    expect(suppressed).toMatchObject({ outcome: 'suppressed', reason: 'duplicate: x' });
  });
});

describe('member validation', () => {
  it('names the field and why', () => {
    expect(
      validateDeliveryMember({
        timeZone: 'Mars/Olympus',
        channelConsent: {},
        marketingConsent: false,
        quietHours: { start: '22:00', end: '8am' },
        bestSendHour: 24,
      }),
    ).toEqual([
      { path: 'timeZone', message: "unknown IANA time zone 'Mars/Olympus'" },
      { path: 'quietHours.end', message: "expected HH:mm (00:00–23:59), got '8am'" },
      { path: 'bestSendHour', message: 'expected an integer 0–23, got 24' },
    ]);
    expect(validateDeliveryMember(member(london, { bestSendHour: 0 }))).toEqual([]);
  });

  it('refuses to decide for an invalid member', () => {
    expect(() => decide(care, '2026-05-11T04:00:00Z', { member: member('Nowhere/City') })).toThrow(
      /timeZone: unknown IANA time zone/,
    );
  });
});

describe('historyNeededSince', () => {
  it('covers the dedupe window and two local days back', () => {
    const now = new Date('2026-05-11T04:00:00Z');
    expect(historyNeededSince(now)).toBe('2026-05-08T04:00:00.000Z');
    expect(historyNeededSince(now, { ...defaultDeliveryPolicy, dedupeWindowHours: 168 })).toBe(
      '2026-05-04T04:00:00.000Z',
    );
  });
});

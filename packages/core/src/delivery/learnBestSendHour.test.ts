import { describe, expect, it } from 'vitest';
import { learnBestSendHour } from './learnBestSendHour.ts';

/** n opens at the given UTC hour:minute on consecutive days from 2026-04-01. */
function opens(n: number, utcHour: number, minute = 0): string[] {
  return Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(2026, 3, 1 + i, utcHour, minute)).toISOString(),
  );
}

describe('learnBestSendHour', () => {
  it('needs at least 5 opens', () => {
    expect(learnBestSendHour(opens(4, 12), 'Asia/Shanghai')).toBeNull();
    expect(learnBestSendHour(opens(5, 12), 'Asia/Shanghai')).toBe(20);
  });

  it('answers in the member’s local hours', () => {
    // 12:00Z in April is 20:00 in Shanghai, 08:00 in New York (EDT) and 13:00 in London (BST).
    expect(learnBestSendHour(opens(6, 12), 'America/New_York')).toBe(8);
    expect(learnBestSendHour(opens(6, 12), 'Europe/London')).toBe(13);
  });

  it('prefers the centre of a habit spread across neighbouring hours', () => {
    // Shanghai: 19:40 ×3, 20:10 ×3, 21:05 ×3, 08:00 ×4. Hour 8 alone has the most opens,
    // but 20 h sits in the middle of the evening habit (score 3+3·2+3 = 12 vs 8).
    const history = [...opens(3, 11, 40), ...opens(3, 12, 10), ...opens(3, 13, 5), ...opens(4, 0)];
    expect(learnBestSendHour(history, 'Asia/Shanghai')).toBe(20);
  });

  it('treats 23 h and 0 h as neighbours', () => {
    // London in April (BST): 22:30Z = 23:30, 23:30Z = 00:30 next day.
    const history = [...opens(3, 22, 30), ...opens(3, 23, 30), ...opens(4, 11)];
    expect(learnBestSendHour(history, 'Europe/London')).toBe(0);
  });

  it('follows the most recent 100 opens', () => {
    const old = opens(150, 0); // 08:00 Shanghai, April–August
    const recent = Array.from({ length: 100 }, (_, i) =>
      new Date(Date.UTC(2026, 9, 1, 12) + i * 86_400_000).toISOString(),
    ); // 20:00 Shanghai from October
    expect(learnBestSendHour([...recent, ...old], 'Asia/Shanghai')).toBe(20);
  });

  it('ignores unparseable times and rejects an unknown zone', () => {
    expect(learnBestSendHour([...opens(4, 12), 'yesterday'], 'Asia/Shanghai')).toBeNull();
    expect(() => learnBestSendHour(opens(5, 12), 'Mars/Olympus')).toThrow(/timeZone/);
  });
});

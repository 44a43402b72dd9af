import { describe, expect, it } from 'vitest';
import { benefitsOf, memberTiers, tierFor, tierRank, tierStatus } from './tiers.ts';

describe('tiers', () => {
  it('puts every member in a tier, silver from 0', () => {
    expect(tierFor(0).id).toBe('silver');
  });

  it('switches at each threshold, tested on both sides', () => {
    expect(tierFor(799).id).toBe('silver');
    expect(tierFor(800).id).toBe('gold');
    expect(tierFor(2999).id).toBe('gold');
    expect(tierFor(3000).id).toBe('diamond');
    expect(tierFor(1_000_000).id).toBe('diamond');
  });

  it('says how far the next tier is, and nothing at the top', () => {
    const s = tierStatus(650);
    expect(s.tier.id).toBe('silver');
    expect(s.next?.tier.id).toBe('gold');
    expect(s.next?.pointsNeeded).toBe(150);
    expect(tierStatus(3000).next).toBeNull();
  });

  it('accumulates benefits: gold has the priority channel, diamond the expert-read annual report', () => {
    const silver = benefitsOf('silver').map((b) => b.id);
    const gold = benefitsOf('gold').map((b) => b.id);
    const diamond = benefitsOf('diamond').map((b) => b.id);
    expect(silver).not.toContain('priority-consultation');
    expect(gold).toEqual(expect.arrayContaining([...silver, 'priority-consultation']));
    expect(gold).not.toContain('annual-report-expert-interpretation');
    expect(diamond).toEqual(
      expect.arrayContaining([
        ...gold,
        'annual-report-expert-interpretation',
        'offline-green-channel',
      ]),
    );
    const channel = benefitsOf('gold').find((b) => b.id === 'priority-consultation')!;
    expect(channel.title['zh-CN']).toMatch(/绿色通道/);
  });

  it('orders tiers and keeps thresholds ascending, with every text in both locales', () => {
    expect(['silver', 'gold', 'diamond'].map((t) => tierRank(t as 'gold'))).toEqual([0, 1, 2]);
    const thresholds = memberTiers.map((t) => t.minGrowthPoints);
    expect(thresholds).toEqual([...thresholds].sort((a, b) => a - b));
    for (const t of memberTiers) {
      expect(t.name['zh-CN'] && t.name.en).toBeTruthy();
      for (const b of t.benefits)
        expect(
          b.title['zh-CN'] && b.title.en && b.description['zh-CN'] && b.description.en,
        ).toBeTruthy();
    }
  });
});

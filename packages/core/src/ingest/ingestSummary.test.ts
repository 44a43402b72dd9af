import { describe, expect, it } from 'vitest';
import { emptyIngestSummary, summarizeIngestItems, tallyIngestItem } from './ingestSummary.ts';
import type { IngestItemResult } from './types.ts';

const member: IngestItemResult = {
  ok: true,
  ref: 'entry[0]',
  sourceType: 'Patient',
  record: {
    kind: 'member',
    value: { externalRef: 'p1', name: 'A', gender: 'unknown', birthDate: null },
  },
};
const rejected: IngestItemResult = {
  ok: false,
  ref: 'entry[1]',
  sourceType: 'Observation',
  issues: [{ path: 'x', message: 'bad' }],
};
const skipped: IngestItemResult = {
  ok: false,
  ref: 'entry[2]',
  sourceType: 'Encounter',
  skipped: true,
  issues: [{ path: 'y', message: 'not imported' }],
};

describe('ingest summary', () => {
  it('counts accepted by kind, rejected and skipped apart, per source type and per reason', () => {
    const summary = summarizeIngestItems([member, rejected, skipped, rejected]);
    expect(summary).toEqual({
      items: 4,
      accepted: 1,
      rejected: 2,
      skipped: 1,
      records: { member: 1, observation: 0, condition: 0, medication: 0 },
      bySourceType: {
        Patient: { accepted: 1, rejected: 0, skipped: 0 },
        Observation: { accepted: 0, rejected: 2, skipped: 0 },
        Encounter: { accepted: 0, rejected: 0, skipped: 1 },
      },
      reasons: { bad: 2, 'not imported': 1 },
    });
  });

  it('tallies item by item for streams', () => {
    const summary = emptyIngestSummary();
    tallyIngestItem(summary, member);
    expect(tallyIngestItem(summary, skipped)).toBe(summary);
    expect(summary.items).toBe(2);
  });
});

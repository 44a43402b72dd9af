import { describe, expect, it } from 'vitest';
import { parseAppleHealthDate, parseFhirDateTime, parseRfc3339 } from './dateTimes.ts';

describe('date parsing', () => {
  it('reads FHIR dateTimes of every precision as UTC instants', () => {
    expect(parseFhirDateTime('2013-04-02T09:30:10+01:00')).toEqual({
      ok: true,
      iso: '2013-04-02T08:30:10.000Z',
      precision: 'time',
    });
    expect(parseFhirDateTime('2012-09-17')).toEqual({
      ok: true,
      iso: '2012-09-17T00:00:00.000Z',
      precision: 'day',
    });
    expect(parseFhirDateTime('2012-09')).toMatchObject({
      iso: '2012-09-01T00:00:00.000Z',
      precision: 'month',
    });
    expect(parseFhirDateTime('2012')).toMatchObject({
      iso: '2012-01-01T00:00:00.000Z',
      precision: 'year',
    });
    expect(parseFhirDateTime('1992-09-05T05:46:40.398+00:00')).toMatchObject({
      iso: '1992-09-05T05:46:40.398Z',
    });
  });

  it('rejects impossible or zone-less FHIR dateTimes', () => {
    expect(parseFhirDateTime('2023-02-29').ok).toBe(false); // 2023 is not a leap year
    expect(parseFhirDateTime('2024-02-29').ok).toBe(true);
    expect(parseFhirDateTime('2024-01-01T10:00:00').ok).toBe(false); // FHIR: a time needs a zone
    expect(parseFhirDateTime('2024-01-01T24:00:00Z').ok).toBe(false);
    expect(parseFhirDateTime(20240101).ok).toBe(false);
  });

  it('reads RFC 3339 date-times and refuses bare dates and missing offsets', () => {
    expect(parseRfc3339('2020-02-05T07:25:00-08:00')).toEqual({
      ok: true,
      iso: '2020-02-05T15:25:00.000Z',
    });
    expect(parseRfc3339('2013-02-05T07:25:00.123Z')).toEqual({
      ok: true,
      iso: '2013-02-05T07:25:00.123Z',
    });
    expect(parseRfc3339('2013-02-05').ok).toBe(false);
    expect(parseRfc3339('2013-02-05T07:25:00').ok).toBe(false);
    expect(parseRfc3339('2013-02-05T07:25:00+15:00').ok).toBe(false);
  });

  it('reads Apple Health dates with their offset', () => {
    expect(parseAppleHealthDate('2019-06-11 15:00:00 +0200')).toEqual({
      ok: true,
      iso: '2019-06-11T13:00:00.000Z',
    });
    expect(parseAppleHealthDate('2017-11-07 10:05:13 -0730')).toEqual({
      ok: true,
      iso: '2017-11-07T17:35:13.000Z',
    });
    expect(parseAppleHealthDate('2019-06-11T15:00:00+02:00').ok).toBe(false);
  });
});

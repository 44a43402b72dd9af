/**
 * Placeholders a text may use besides profile facts. Trigger-scoped ones are filled when the flow was
 * started by that kind of trigger and render as "—" elsewhere.
 */
export const builtinPlaceholders: Readonly<Record<string, string>> = {
  'member.name': "the member's name",
  'enrollment.week': 'week of the enrollment, 1 in the first 7 days',
  'enrollment.day': 'day of the enrollment, 1 on the day of enrolling',
  'enrollment.years': 'whole years since enrolling (enrollment-anniversary triggers)',
  'medication.name': 'the medication (schedule: medications, or after a medication-taken event)',
  'medication.dosage': 'its dosage text from the order',
  'reading.value': 'the reading that fired an observation or threshold trigger',
  'reading.indicator': 'its indicator id',
  'place.name': 'the place a location trigger found',
  'place.distanceKm': 'how far away it is, km',
  'package.name': 'the service package (package-expiry triggers)',
  'package.expiresOn': 'its expiry date, yyyy-MM-dd',
  'package.daysLeft': 'days until it expires',
};

export const isBuiltinPlaceholder = (name: string): boolean => name in builtinPlaceholders;

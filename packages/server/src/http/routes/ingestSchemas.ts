import { Type } from '@fastify/type-provider-typebox';

const Issue = Type.Object({ path: Type.String(), message: Type.String() });
const Counts = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  skipped: Type.Integer(),
});

/** The per-item answer of every ingest endpoint and of `careloop import`. */
export const IngestReportSchema = Type.Object({
  received: Type.Integer(),
  accepted: Type.Object({
    members: Type.Integer(),
    observations: Type.Integer(),
    conditions: Type.Integer(),
    medications: Type.Integer(),
  }),
  duplicates: Type.Integer(),
  rejected: Type.Array(
    Type.Object({
      ref: Type.String(),
      issues: Type.Array(Issue),
      sourceType: Type.Optional(Type.String()),
    }),
  ),
  skipped: Type.Object({
    count: Type.Integer(),
    byReason: Type.Record(Type.String(), Type.Integer()),
  }),
  byType: Type.Record(Type.String(), Counts),
  rolledBack: Type.Boolean(),
  memberIds: Type.Array(Type.String()),
});

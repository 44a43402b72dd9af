import type { Readable } from 'node:stream';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { parseAppleHealthExport, parseOpenMHealth } from '@careloop/core';
import { authorizeMember } from '../../auth/access.ts';
import { ingestItems } from '../../ingest/ingestItems.ts';
import { ingestStream } from '../../ingest/ingestStream.ts';
import { badRequest } from '../problem.ts';
import { IngestReportSchema } from './ingestSchemas.ts';

const Query = Type.Object({
  member: Type.String({ format: 'uuid', description: 'the member the data belongs to' }),
});

export const ingestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, clock, care } = app.deps;

  app.post(
    '/ingest/openmhealth',
    {
      schema: {
        tags: ['ingest'],
        summary:
          'Open mHealth data points (blood pressure, glucose, heart rate, steps, body weight, sleep duration)',
        querystring: Query,
        body: Type.Unknown(),
        response: { 200: IngestReportSchema },
      },
    },
    async (req) => {
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.query.member,
        action: 'write:observations',
        requestId: req.id,
        now: clock.now(),
      });
      const items = parseOpenMHealth(req.body, {
        memberRef: req.query.member,
        receivedAt: clock.now().toISOString(),
      });
      return ingestItems({ db, clock, care }, items, { allowedMemberIds: [req.query.member] });
    },
  );

  app.post(
    '/ingest/apple-health',
    {
      schema: {
        tags: ['ingest'],
        summary:
          'An Apple Health export.xml, streamed (Content-Type: application/xml); stored in batches as it is read',
        querystring: Query,
        response: { 200: IngestReportSchema },
      },
    },
    async (req) => {
      await authorizeMember(db, {
        actor: req.actor,
        memberId: req.query.member,
        action: 'write:observations',
        requestId: req.id,
        now: clock.now(),
      });
      const body = req.body as Readable | undefined;
      if (!body || typeof (body as Readable).setEncoding !== 'function') {
        throw badRequest('send the export as the request body with Content-Type: application/xml', [
          { path: 'body', message: 'expected an XML stream' },
        ]);
      }
      body.setEncoding('utf8');
      return ingestStream(
        { db, clock, care },
        parseAppleHealthExport(body as AsyncIterable<string>, { memberRef: req.query.member }),
        {
          allowedMemberIds: [req.query.member],
        },
      );
    },
  );
};

import { existsSync } from 'node:fs';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Db } from '../db/Db.ts';
import type { Clock } from '../clock.ts';
import type { CareEngine } from '../care/careEngine.ts';
import type { Actor } from '../auth/actor.ts';
import { tokenHash } from '../auth/tokens.ts';
import { HttpProblem, pointerToFieldPath } from './problem.ts';
import { authRoutes } from './routes/authRoutes.ts';
import { memberRoutes } from './routes/memberRoutes.ts';
import { fhirRoutes } from './routes/fhirRoutes.ts';
import { ingestRoutes } from './routes/ingestRoutes.ts';
import { metricsRoutes } from './routes/metricsRoutes.ts';
import { opsRoutes } from './routes/opsRoutes.ts';
import { reportRoutes } from './routes/reportRoutes.ts';
import { channelRoutes } from './routes/channelRoutes.ts';
import { habitRoutes } from './routes/habitRoutes.ts';

export interface AppDeps {
  db: Db;
  clock: Clock;
  care: CareEngine;
  sessionTtlHours: number;
  secureCookies: boolean;
  /** Built web app to serve at `/`, when present. */
  webDir?: string | undefined;
  logger?: boolean | { level: string };
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export const SESSION_COOKIE = 'careloop_session';

export type App = FastifyInstance;
export type TypedApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;

/** The HTTP API: schema-first routes (one TypeBox schema is type, validation and OpenAPI). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      deps.logger === false || deps.logger === undefined
        ? false
        : {
            level: typeof deps.logger === 'object' ? deps.logger.level : 'info',
            // Credentials never reach the logs.
            redact: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
            ],
          },
    bodyLimit: 64 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('deps', deps);
  app.decorateRequest('actor', null);

  // FHIR clients send application/fhir+json; parse it as JSON.
  app.addContentTypeParser(['application/fhir+json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch (err) {
      done(
        new HttpProblem(400, 'Bad Request', `body is not valid JSON: ${(err as Error).message}`),
        undefined,
      );
    }
  });
  // Apple Health exports are streamed through, never buffered whole.
  app.addContentTypeParser(['application/xml', 'text/xml'], (_req, payload, done) =>
    done(null, payload),
  );

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'CareLoop API',
        version: '0.1.0',
        description:
          'Health data in (FHIR R4, Open mHealth, Apple Health) → live profile → care programs → capped messages → engagement metrics. Errors are RFC 9457 problem+json with field paths.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (req) => {
    req.actor = await resolveActor(deps.db, req, deps.clock.now());
  });

  app.setErrorHandler((err: FastifyError | HttpProblem, req, reply) => {
    let problem: HttpProblem;
    if (err instanceof HttpProblem) problem = err;
    else if ((err as FastifyError).validation) {
      const e = err as FastifyError;
      const where = e.validationContext ?? 'body';
      const errors = (e.validation ?? []).map((v) => {
        const missing = (v.params as { missingProperty?: string }).missingProperty;
        const extra = (v.params as { additionalProperty?: string }).additionalProperty;
        const base = pointerToFieldPath(v.instancePath ?? '');
        const leaf = missing ?? extra;
        const path = [where, base, leaf].filter(Boolean).join('.').replace(/\.\[/g, '[');
        return { path, message: extra ? `unknown property '${extra}'` : (v.message ?? 'invalid') };
      });
      problem = new HttpProblem(400, 'Bad Request', `request ${where} is invalid`, errors);
    } else if ((err as FastifyError).statusCode && (err as FastifyError).statusCode! < 500) {
      problem = new HttpProblem((err as FastifyError).statusCode!, 'Bad Request', err.message);
    } else {
      req.log.error({ err }, 'unhandled error');
      problem = new HttpProblem(
        500,
        'Internal Server Error',
        'an unexpected error occurred; it has been logged',
      );
    }
    void reply
      .status(problem.status)
      .type('application/problem+json')
      .send(problem.toJSON(req.url));
  });
  app.setNotFoundHandler((req, reply) => {
    void reply
      .status(404)
      .type('application/problem+json')
      .send(
        new HttpProblem(404, 'Not Found', `no route ${req.method} ${req.url.split('?')[0]}`).toJSON(
          req.url,
        ),
      );
  });

  await app.register(authRoutes);
  await app.register(memberRoutes);
  await app.register(fhirRoutes);
  await app.register(ingestRoutes);
  await app.register(metricsRoutes);
  await app.register(opsRoutes);
  await app.register(reportRoutes);
  await app.register(channelRoutes);
  await app.register(habitRoutes);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (deps.webDir && existsSync(deps.webDir)) {
    await app.register(fastifyStatic, {
      root: deps.webDir,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html')
        .send(
          '<p>CareLoop API. The web app is not built: run <code>npm run build:web</code>. API docs: <a href="/docs">/docs</a></p>',
        ),
    );
  }
  await app.ready();
  return app;
}

async function resolveActor(db: Db, req: FastifyRequest, now: Date): Promise<Actor | null> {
  const header = req.headers.authorization;
  let token: string | undefined;
  let via: Actor['via'] = 'session';
  if (header?.startsWith('Bearer ')) {
    token = header.slice(7).trim();
    via = 'token';
  } else token = req.cookies?.[SESSION_COOKIE];
  if (!token) return null;
  const hash = tokenHash(token);
  const sql =
    via === 'token'
      ? `SELECT u.id::text AS id, u.username, u.display_name, u.roles, u.member_id::text AS member_id
           FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL`
      : `SELECT u.id::text AS id, u.username, u.display_name, u.roles, u.member_id::text AS member_id
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2`;
  const { rows } = await db.query<{
    id: string;
    username: string;
    display_name: string;
    roles: Actor['roles'];
    member_id: string | null;
  }>(sql, via === 'token' ? [hash] : [hash, now.toISOString()]);
  const u = rows[0];
  if (!u) return null;
  return {
    userId: u.id,
    username: u.username,
    displayName: u.display_name,
    roles: u.roles,
    memberId: u.member_id,
    via,
  };
}

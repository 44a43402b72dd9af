import type { FastifyRequest } from 'fastify';
import type { Role } from '@careloop/core';
import { hasRole, type Actor } from '../auth/actor.ts';
import { forbidden, unauthorized } from './problem.ts';

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

export function requireRole(req: FastifyRequest, ...roles: Role[]): Actor {
  const actor = requireActor(req);
  if (!hasRole(actor, ...roles))
    throw forbidden(`this needs one of the roles: ${roles.join(', ')}`);
  return actor;
}

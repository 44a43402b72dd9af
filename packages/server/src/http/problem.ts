import type { ValidationIssue } from '@careloop/core';

/** An RFC 9457 problem: thrown by routes, rendered as application/problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: readonly ValidationIssue[],
    readonly type = `https://careloop.dev/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
  ) {
    super(detail ?? title);
  }

  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors && this.errors.length > 0 ? { errors: this.errors } : {}),
    };
  }
}

export const badRequest = (detail: string, errors?: readonly ValidationIssue[]) =>
  new HttpProblem(400, 'Bad Request', detail, errors);
export const unauthorized = (detail = 'sign in or send a bearer token') =>
  new HttpProblem(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new HttpProblem(403, 'Forbidden', detail);
export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);

/** JSON pointer (`/entry/3/resource`) → field path (`entry[3].resource`), as our issues name fields. */
export function pointerToFieldPath(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((seg, i) =>
      /^\d+$/.test(seg)
        ? `[${seg}]`
        : `${i === 0 ? '' : '.'}${seg.replace(/~1/g, '/').replace(/~0/g, '~')}`,
    )
    .join('');
}

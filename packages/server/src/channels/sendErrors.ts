/**
 * Error text as stored and shown to operators: no addresses, phone numbers or URL query strings
 * (tokens), and bounded in length. Providers like to echo the recipient back ("550 <a@b.c>
 * unknown"); that must not land in the dead-letter list.
 */
export function redactError(message: string): string {
  return message
    .replace(/https?:\/\/[^\s"'<>]+/gi, (u) => {
      try {
        const url = new URL(u);
        return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
      } catch {
        return '[url]';
      }
    })
    .replace(/[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g, '[address]')
    .replace(/\+?\d[\d\s-]{7,}\d/g, '[number]')
    .slice(0, 500);
}

/** Whether an HTTP status from a provider is worth retrying: throttled, timed out or its fault. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** A network failure (refused, reset, DNS, timeout) is retryable: the next attempt may get through. */
export function networkFailure(
  channel: string,
  err: unknown,
): { ok: false; retryable: true; error: string } {
  const e = err as {
    name?: string;
    code?: string;
    cause?: { code?: string; message?: string };
    message?: string;
  };
  const code = e.cause?.code ?? e.code;
  const what =
    e.name === 'TimeoutError' || e.name === 'AbortError'
      ? 'timed out'
      : code
        ? `network error ${code}`
        : `network error: ${e.cause?.message ?? e.message ?? String(err)}`;
  return { ok: false, retryable: true, error: redactError(`${channel}: ${what}`) };
}

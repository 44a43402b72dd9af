import { isRetryableStatus, networkFailure, redactError } from './sendErrors.ts';
import type { SendResult } from './ChannelAdapter.ts';

export interface JsonResponse {
  status: number;
  headers: Headers;
  json: unknown;
}

/**
 * One POST with a deadline. Network failures and timeouts come back as retryable results rather
 * than exceptions; the response body is read (bounded) so a gateway's JSON answer can be used.
 */
export async function postJson(
  channel: string,
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<JsonResponse | Extract<SendResult, { ok: false }>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers,
      body: body as NonNullable<Parameters<typeof fetch>[1]>['body'],
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return networkFailure(channel, err);
  }
  let text: string;
  try {
    text = (await res.text()).slice(0, 64 * 1024);
  } catch (err) {
    return networkFailure(channel, err);
  }
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  return { status: res.status, headers: res.headers, json };
}

export function isFailure(
  r: JsonResponse | Extract<SendResult, { ok: false }>,
): r is Extract<SendResult, { ok: false }> {
  return 'ok' in r;
}

/** A non-2xx answer as a send failure: retryable for 408/425/429/5xx, final otherwise. */
export function statusFailure(
  channel: string,
  r: JsonResponse,
): Extract<SendResult, { ok: false }> {
  const detail =
    r.json && typeof r.json === 'object'
      ? ((r.json as { error?: unknown; message?: unknown; errmsg?: unknown }).error ??
        (r.json as { message?: unknown }).message ??
        (r.json as { errmsg?: unknown }).errmsg)
      : undefined;
  return {
    ok: false,
    retryable: isRetryableStatus(r.status),
    error: redactError(
      `${channel}: HTTP ${r.status}${typeof detail === 'string' ? ` (${detail})` : ''}`,
    ),
  };
}

/** The provider's id for what it accepted, from the usual places. */
export function providerIdFrom(r: JsonResponse): string | undefined {
  const j = r.json as { id?: unknown; messageId?: unknown; msgid?: unknown } | null;
  const v = j && typeof j === 'object' ? (j.id ?? j.messageId ?? j.msgid) : undefined;
  if (typeof v === 'string' || typeof v === 'number') return String(v).slice(0, 200);
  return r.headers.get('location')?.slice(0, 500) ?? undefined;
}

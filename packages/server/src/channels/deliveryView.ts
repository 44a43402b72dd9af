import { iso, isoOrNull } from '../storage/rows.ts';

/** A delivery as the API shows it (never the member's address). */
export interface DeliveryView {
  id: string;
  memberId: string;
  messageId: string;
  channel: string;
  priority: string;
  status: string;
  attempts: number;
  redrives: number;
  nextAttemptAt: string | null;
  providerId: string | null;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  deadAt: string | null;
}

export interface DeliveryRow {
  id: string;
  member_id: string;
  message_id: string;
  channel: string;
  priority: string;
  status: string;
  attempts: number;
  redrives: number;
  next_attempt_at: Date | string | null;
  provider_id: string | null;
  last_error: string | null;
  created_at: Date | string;
  sent_at: Date | string | null;
  delivered_at: Date | string | null;
  dead_at: Date | string | null;
}

export const deliveryColumns = `d.id::text AS id, d.member_id::text AS member_id, d.message_id::text AS message_id, d.channel,
  d.priority, d.status, d.attempts, d.redrives, d.next_attempt_at, d.provider_id, d.last_error, d.created_at,
  d.sent_at, d.delivered_at, d.dead_at`;

export function toDeliveryView(r: DeliveryRow): DeliveryView {
  return {
    id: r.id,
    memberId: r.member_id,
    messageId: r.message_id,
    channel: r.channel,
    priority: r.priority,
    status: r.status,
    attempts: r.attempts,
    redrives: r.redrives,
    nextAttemptAt: r.status === 'queued' ? isoOrNull(r.next_attempt_at) : null,
    providerId: r.provider_id,
    lastError: r.last_error,
    createdAt: iso(r.created_at),
    sentAt: isoOrNull(r.sent_at),
    deliveredAt: isoOrNull(r.delivered_at),
    deadAt: isoOrNull(r.dead_at),
  };
}

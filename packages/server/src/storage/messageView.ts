import { Type } from '@fastify/type-provider-typebox';
import { iso, isoOrNull } from './rows.ts';

/** States in which a message is in the member's inbox. */
export const inboxStates = `('delivered', 'sent', 'opened', 'clicked', 'acted')`;

export interface MessageRow {
  id: string;
  priority: string;
  purpose: string;
  channel: string;
  state: string;
  body: { 'zh-CN': string; en: string };
  program_id: string | null;
  reason: string | null;
  reason_detail: string | null;
  not_before: Date;
  created_at: Date;
  sent_at: Date | null;
  opened_at: Date | null;
  acted_at: Date | null;
}

export const messageColumns = `id::text AS id, priority, purpose, channel, state, body, program_id, reason, reason_detail, not_before, created_at, sent_at, opened_at, acted_at`;

/** One message as the inbox, the contact ledger and the live stream all show it. */
export const MessageView = Type.Object({
  id: Type.String(),
  priority: Type.String(),
  purpose: Type.String(),
  channel: Type.String(),
  state: Type.String(),
  body: Type.Object({ 'zh-CN': Type.String(), en: Type.String() }),
  programId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  reasonDetail: Type.Union([Type.String(), Type.Null()]),
  notBefore: Type.String(),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.Union([Type.String(), Type.Null()]),
  actedAt: Type.Union([Type.String(), Type.Null()]),
});

export const toMessageView = (r: MessageRow) => ({
  id: r.id,
  priority: r.priority,
  purpose: r.purpose,
  channel: r.channel,
  state: r.state,
  body: r.body,
  programId: r.program_id,
  reason: r.reason,
  reasonDetail: r.reason_detail,
  notBefore: iso(r.not_before),
  createdAt: iso(r.created_at),
  sentAt: isoOrNull(r.sent_at),
  openedAt: isoOrNull(r.opened_at),
  actedAt: isoOrNull(r.acted_at),
});

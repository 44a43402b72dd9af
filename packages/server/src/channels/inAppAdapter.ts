import type { ChannelAdapter, SendResult } from './ChannelAdapter.ts';

/**
 * The in-app inbox: a message in an inbox state is in the inbox, and open inbox streams hear of it
 * through the commit notification. Sending therefore has nothing to do; the sender records the
 * message as delivered (used for re-drives and fallbacks to in-app).
 */
export class InAppAdapter implements ChannelAdapter {
  readonly channel = 'in-app' as const;
  async send(): Promise<SendResult> {
    return { ok: true };
  }
}

// Channels (decision 0007): adapters behind one interface, the outbox sender with retries,
// dead letters and rate limits, and the commit notifications behind the live inbox stream.
export type {
  Bilingual,
  ChannelAdapter,
  OutboundMessage,
  PushSubscriptionKeys,
  RecipientMember,
  SendResult,
} from './ChannelAdapter.ts';
export {
  Secret,
  configuredChannels,
  defaultChannelConfig,
  loadChannelConfig,
  type ChannelConfig,
  type EmailConfig,
  type GatewayConfig,
  type RateLimit,
  type WeChatConfig,
  type WebPushConfig,
  type WebhookConfig,
} from './channelConfig.ts';
export { ChannelService, buildAdapters, type ChannelServiceOptions } from './channelService.ts';
export { ChannelSender, deliveryKey, type SendCounts } from './channelSender.ts';
export { listDeadLetters, redriveDelivery, type RedriveResult } from './deadLetters.ts';
export { applyReceipt, type ReceiptResult } from './deliveryReceipts.ts';
export { toDeliveryView, type DeliveryView } from './deliveryView.ts';
export { EmailAdapter } from './emailAdapter.ts';
export { InAppAdapter } from './inAppAdapter.ts';
export {
  MessageNotices,
  noticeChannel,
  notifyMessages,
  parseNotice,
  type MessageNotice,
} from './messageNotices.ts';
export { retryDelayMs } from './retryBackoff.ts';
export {
  allChannels,
  isChannel,
  redFlagChannelOrder,
  routeMessage,
  type Route,
  type RouteInput,
} from './routeChannels.ts';
export { SmsAdapter } from './smsAdapter.ts';
export { TokenBucket } from './tokenBucket.ts';
export { WebhookAdapter } from './webhookAdapter.ts';
export {
  signWebhook,
  signatureHeader,
  timestampHeader,
  verifyWebhookSignature,
} from './webhookSignature.ts';
export { WebPushAdapter } from './webPushAdapter.ts';
export { WeChatAdapter } from './wechatAdapter.ts';

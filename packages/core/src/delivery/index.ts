// The contact-policy ledger: one decision per message for every program and channel (decision 0004).
export * from './deliveryTypes.ts';
export {
  decideDelivery,
  hasChannelConsent,
  ledgerEntryFor,
  validateDeliveryMember,
} from './decideDelivery.ts';
export {
  learnBestSendHour,
  minOpensForBestHour,
  recentOpensForBestHour,
} from './learnBestSendHour.ts';
export { orderByPriority } from './orderByPriority.ts';

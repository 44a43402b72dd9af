import { messagePriorities, type MessagePriority } from './deliveryTypes.ts';

const rank: Record<MessagePriority, number> = Object.fromEntries(
  messagePriorities.map((p, i) => [p, i]),
) as Record<MessagePriority, number>;

/**
 * Highest class first (red flag > clinical > care > engagement > marketing), stable within a class.
 * The dispatcher decides a tick's due messages in this order, so when the day's budget is tight the
 * lower classes are the ones that defer. Returns a new array.
 */
export function orderByPriority<T extends { priority: MessagePriority }>(xs: T[]): T[] {
  return xs
    .map((x, i) => ({ x, i }))
    .sort((a, b) => rank[a.x.priority] - rank[b.x.priority] || a.i - b.i)
    .map(({ x }) => x);
}

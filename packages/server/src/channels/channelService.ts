import type { Channel } from '@careloop/core';
import type { Db } from '../db/Db.ts';
import type { Clock } from '../clock.ts';
import type { ChannelAdapter } from './ChannelAdapter.ts';
import { loadChannelConfig, type ChannelConfig } from './channelConfig.ts';
import { ChannelSender, type SendCounts } from './channelSender.ts';
import { EmailAdapter } from './emailAdapter.ts';
import { InAppAdapter } from './inAppAdapter.ts';
import { MessageNotices } from './messageNotices.ts';
import { SmsAdapter } from './smsAdapter.ts';
import { WebhookAdapter } from './webhookAdapter.ts';
import { WebPushAdapter } from './webPushAdapter.ts';
import { WeChatAdapter } from './wechatAdapter.ts';

export interface ChannelServiceOptions {
  db: Db;
  clock: Clock;
  config: ChannelConfig;
  /** Replaces the adapters built from the config (tests of failure paths; custom providers). */
  adapters?: readonly ChannelAdapter[];
  random?: () => number;
  /**
   * Run the sender when a notification says something was queued (default true). Off, the sender
   * runs on the poll and on runOnce only (tests that count each run's outcome).
   */
  wakeOnNotify?: boolean;
  /** Where background failures go (the app's logger); never given secrets or addresses. */
  logError?: (err: unknown, what: string) => void;
}

/** The adapters a configuration turns on; the in-app inbox is always there. */
export function buildAdapters(config: ChannelConfig, clock: Clock): ChannelAdapter[] {
  const t = config.sendTimeoutMs;
  const out: ChannelAdapter[] = [new InAppAdapter()];
  if (config.webPush) out.push(new WebPushAdapter(config.webPush, t));
  if (config.email) out.push(new EmailAdapter(config.email, t));
  if (config.sms) out.push(new SmsAdapter(config.sms, t));
  if (config.wechat) out.push(new WeChatAdapter(config.wechat, t));
  if (config.webhook) out.push(new WebhookAdapter(config.webhook, t, () => clock.now()));
  return out;
}

/**
 * Channels, wired: the adapters from the configuration, the sender that works the outbox, and the
 * notification listener that feeds live inbox streams and wakes the sender when something is
 * queued. Background runs never overlap; a wake-up during a run triggers one more run after it.
 */
export class ChannelService {
  readonly config: ChannelConfig;
  readonly notices = new MessageNotices();
  readonly sender: ChannelSender;
  readonly adapters: ReadonlyMap<Channel, ChannelAdapter>;
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logError: (err: unknown, what: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<SendCounts> | null = null;
  #again = false;
  #started = false;
  #stopped = false;
  #unsubscribe: (() => void) | null = null;
  readonly #wakeOnNotify: boolean;

  constructor(opts: ChannelServiceOptions) {
    this.config = opts.config;
    this.#db = opts.db;
    this.#clock = opts.clock;
    this.#logError = opts.logError ?? (() => undefined);
    this.#wakeOnNotify = opts.wakeOnNotify ?? true;
    const list = opts.adapters ?? buildAdapters(opts.config, opts.clock);
    const map = new Map<Channel, ChannelAdapter>(list.map((a) => [a.channel, a]));
    if (!map.has('in-app')) map.set('in-app', new InAppAdapter());
    this.adapters = map;
    this.sender = new ChannelSender({
      db: opts.db,
      adapters: map,
      config: opts.config,
      ...(opts.random ? { random: opts.random } : {}),
    });
  }

  /** From the process environment (validated; throws ConfigError naming each bad variable). */
  static fromEnv(
    env: Record<string, string | undefined>,
    opts: Omit<ChannelServiceOptions, 'config'>,
  ): ChannelService {
    return new ChannelService({ ...opts, config: loadChannelConfig(env) });
  }

  /** Outside channels with an adapter here. */
  get configured(): Channel[] {
    return [...this.adapters.keys()].filter((c) => c !== 'in-app');
  }

  /** Listens for notifications and starts the poll for due retries. Idempotent. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#stopped = false;
    if (this.#wakeOnNotify) this.#unsubscribe = this.notices.onQueued(() => this.wake());
    const listening = await this.notices.listen(this.#db, (err) =>
      this.#logError(err, 'notification listener'),
    );
    if (!listening) this.#logError(new Error('no LISTEN on this driver'), 'notification listener');
    if (this.config.pollMs > 0) {
      this.#timer = setInterval(() => this.wake(), this.config.pollMs);
      this.#timer.unref();
    }
  }

  /** Asks for a send run now (coalesced with one already running). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.sender
      .runDue(this.#clock.now())
      .catch((err: unknown) => {
        this.#logError(err, 'channel send run');
        return { sent: 0, retried: 0, dead: 0, fellBack: 0, rateLimited: 0 };
      })
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** One run now, after any run in progress (the /ops tick and tests). */
  async runOnce(now: Date = this.#clock.now()): Promise<SendCounts> {
    while (this.#running) await this.#running;
    const run = this.sender.runDue(now);
    this.#running = run;
    try {
      return await run;
    } finally {
      if (this.#running === run) this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    }
  }

  /** Waits for the background run in progress, if any (tests). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running.catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.idle();
    await this.notices.close().catch((err: unknown) => this.#logError(err, 'closing the listener'));
    for (const a of this.adapters.values()) await a.close?.().catch(() => undefined);
    this.#started = false;
  }
}

// Live referral updates between the notification worker and subscribers. In one process the
// default in-memory event target is enough; with several server processes pass redisEventTarget,
// so a subscriber on any process hears what the worker of any process publishes.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import type { DispatchedEvent } from '../../db/commands/outbox.js';

type Channels = { referralUpdated: [topic: string, event: DispatchedEvent] };
export type ReferralEventTarget = PubSubEventTarget<Channels> & {
  /** Settles once what was dispatched so far was taken (Redis accepted it); rejects when it was not. */
  sent?(): Promise<void>;
};

/** Redis's event target, which can also pass on events read back from the outbox. */
export type RedisReferralEventTarget = ReferralEventTarget & {
  /** Passes `events` to this process's subscribers, except those they already heard. */
  catchUp(events: readonly DispatchedEvent[]): void;
};

/** Every party of the request: the customer's account and both merchants. */
const topicsOf = (event: DispatchedEvent) => {
  const topics = new Set([`merchant:${event.requesterMerchantId}`, `merchant:${event.originMerchantId}`]);
  if (event.customerAccountId) topics.add(`account:${event.customerAccountId}`);
  return topics;
};

export interface ReferralPubSub {
  /** Tells every party of the request: the customer's account and both merchants. Rejects when Redis did not take it. */
  publish(event: DispatchedEvent): Promise<void>;
  /** The events of one topic (see topicOf); the subscriber still filters by its visibility rule. */
  subscribe(topic: string): AsyncIterableIterator<DispatchedEvent>;
  /** Ends every open subscription (on shutdown), so streaming responses complete and connections close. */
  close(): void;
}

/** One topic per audience: a customer account, or a merchant (all its staff). */
export const topicOf = (viewer: { kind: 'MERCHANT' | 'CUSTOMER'; accountId: string; merchantId: string | null }): string | null =>
  viewer.kind === 'CUSTOMER' ? `account:${viewer.accountId}` : viewer.merchantId ? `merchant:${viewer.merchantId}` : null;

export function createReferralPubSub(eventTarget?: ReferralEventTarget): ReferralPubSub {
  const pubsub = createPubSub<Channels>(eventTarget ? { eventTarget } : {});
  const open = new Set<ReturnType<typeof pubsub.subscribe>>();
  return {
    async publish(event) {
      for (const topic of topicsOf(event)) pubsub.publish('referralUpdated', topic, event);
      await eventTarget?.sent?.();
    },
    async *subscribe(topic) {
      const events = pubsub.subscribe('referralUpdated', topic);
      open.add(events);
      try {
        yield* events;
      } finally {
        open.delete(events);
      }
    },
    close() {
      for (const events of open) void events.return();
    },
  };
}

/**
 * Redis pub/sub as the event target (events are plain JSON), on channels that begin with the key
 * prefix. The event target sends its commands without awaiting them: these thin clients report a
 * failed (un)subscribe to onError instead of leaving an unhandled rejection to end the process,
 * and keep each publish for sent(), which ReferralPubSub.publish awaits right after dispatching.
 * Redis keeps nothing for a subscriber that is away: catchUp passes on what the outbox says was
 * published meanwhile, and each event reaches a channel's subscribers once, heard either way.
 */
export function redisEventTarget(publisher: Redis, subscriber: Redis, prefix: string, onError: (err: Error) => void): RedisReferralEventTarget {
  let sending: Promise<unknown>[] = [];
  const publishClient = {
    publish: (channel: string, message: string) => {
      const published = publisher.publish(prefix + channel, message);
      sending.push(published);
      return published;
    },
  };
  // Channel and event id of what was passed on lately (longer than a catch-up reaches back).
  const heard = new LRUCache<string, true>({ max: 10_000 });
  let passOn: (channel: string, message: string) => void = () => {};
  const hear = (channel: string, message: string) => {
    const key = `${channel} ${(JSON.parse(message) as DispatchedEvent).eventId}`;
    if (heard.has(key)) return;
    heard.set(key, true);
    passOn(channel, message);
  };
  const subscribeClient = {
    on: (_event: 'message', listener: (channel: string, message: string) => void) => {
      passOn = listener;
      subscriber.on('message', (channel: string, message: string) => {
        if (channel.startsWith(prefix)) hear(channel.slice(prefix.length), message);
      });
    },
    subscribe: (channel: string) => subscriber.subscribe(prefix + channel).catch(onError),
    unsubscribe: (channel: string) => subscriber.unsubscribe(prefix + channel).catch(onError),
  };
  // The event target calls only these methods; its parameters are typed as whole ioredis clients.
  const target = createRedisEventTarget({ publishClient: publishClient as unknown as Redis, subscribeClient: subscribeClient as unknown as Redis });
  return Object.assign(target, {
    async sent() {
      const these = sending;
      sending = [];
      await Promise.all(these);
    },
    catchUp(events: readonly DispatchedEvent[]) {
      for (const event of events) for (const topic of topicsOf(event)) hear(`referralUpdated:${topic}`, JSON.stringify(event));
    },
  });
}

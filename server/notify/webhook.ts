// The gateway adapter: SMS, WeChat and email go out through one HTTPS webhook that receives
// signed JSON. The payload says only what the customer needs to open the request: never a
// name, phone or address (the gateway resolves the recipient account on its side).
import { createHmac } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DueDelivery } from '../../db/commands/outbox.js';
import type { Config } from '../config.js';

/** Sends one message on one of its channels; throws when the message was not accepted. */
export interface ChannelAdapter {
  channels: readonly DueDelivery['channel'][];
  send(message: DueDelivery): Promise<void>;
}

export const SIGNATURE_HEADER = 'x-notify-signature';

export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function webhookPayload(message: DueDelivery, publicUrl: string) {
  const referralId = encodeGlobalID('ReferralRequest', message.referralId);
  return {
    // The same on every attempt: the gateway drops a message it has already sent.
    idempotencyKey: message.id,
    channel: message.channel,
    event: message.kind,
    urgent: message.urgent,
    recipient: encodeGlobalID('Account', message.accountId),
    referral: { id: referralId, requesterName: message.requesterName },
    link: new URL(`/customer?referral=${encodeURIComponent(referralId)}`, publicUrl).toString(),
    createdAt: message.createdAt,
  };
}

export function createWebhookAdapter(config: Config): ChannelAdapter | null {
  const url = config.NOTIFY_WEBHOOK_URL;
  const secret = config.NOTIFY_WEBHOOK_SECRET;
  if (!url || !secret) return null;
  return {
    channels: config.NOTIFY_WEBHOOK_CHANNELS,
    async send(message) {
      const body = JSON.stringify(webhookPayload(message, config.PUBLIC_URL));
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.id, [SIGNATURE_HEADER]: signBody(secret, body) },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(config.NOTIFY_WEBHOOK_TIMEOUT_MS),
      });
      // The gateway's answer is not read beyond its status: it is not ours to store.
      await res.body?.cancel();
      if (!res.ok) throw new Error(`gateway answered HTTP ${res.status}`);
    },
  };
}

// The gateway adapter: SMS, WeChat and email go out through one HTTPS webhook that receives
// signed JSON. The payload says only what the customer needs to open the request: never a
// name, phone or address (the gateway resolves the recipient account on its side).
import { createHmac } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { DueDelivery } from '../../db/commands/outbox.js';
import type { Config } from '../settings.js';

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

/** POSTs one signed JSON body to the gateway; throws unless it was accepted. */
export async function postToGateway(config: Config, idempotencyKey: string, body: string): Promise<void> {
  const res = await fetch(config.NOTIFY_WEBHOOK_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey, [SIGNATURE_HEADER]: signBody(config.NOTIFY_WEBHOOK_SECRET!, body) },
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(config.NOTIFY_WEBHOOK_TIMEOUT_MS),
  });
  // The gateway's answer is not read beyond its status: it is not ours to store.
  await res.body?.cancel();
  if (!res.ok) throw new Error(`gateway answered HTTP ${res.status}`);
}

export function createWebhookAdapter(config: Config): ChannelAdapter | null {
  if (!config.NOTIFY_WEBHOOK_URL || !config.NOTIFY_WEBHOOK_SECRET) return null;
  return {
    channels: config.NOTIFY_WEBHOOK_CHANNELS,
    send: (message) => postToGateway(config, message.id, JSON.stringify(webhookPayload(message, config.PUBLIC_URL))),
  };
}

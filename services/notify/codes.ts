// One-time codes and sign-up notices reach a phone (SMS) or an email address through the same
// signed gateway webhook as notifications. These are the only payloads that carry a phone or an
// email: they go to the gateway and nowhere else, and are never logged.
import type { CodePurpose } from '../../db/tables/index.js';
import type { Config } from '../settings.js';
import { postToGateway } from './webhook.js';

export type CodeMessage =
  | { id: string; channel: 'SMS' | 'EMAIL'; to: string; kind: 'CODE'; purpose: CodePurpose; code: string; expiresAt: string }
  /** Someone asked to sign up with an email that already has an account: the owner gets a sign-in link, not a code. */
  | { id: string; channel: 'EMAIL'; to: string; kind: 'ACCOUNT_EXISTS'; link: string };

export interface CodeSender {
  send(message: CodeMessage): Promise<void>;
}

const TEXT: Record<CodePurpose, string> = {
  CLAIM_INVITE: '您正在领取商家为您保存的客户资料',
  CHANGE_PHONE: '您正在更换联盟推荐平台的登录手机号',
  SIGN_UP: '您正在注册联盟推荐平台商家账号',
};

/** The words the person reads; the code is also sent on its own so the gateway can template it. */
export function messageText(message: CodeMessage): string {
  if (message.kind === 'ACCOUNT_EXISTS') return `此邮箱已注册联盟推荐平台，请直接登录：${message.link}（如非本人操作，请忽略）`;
  return `【联盟推荐】${TEXT[message.purpose]}，验证码 ${message.code}，10 分钟内有效。请勿告诉任何人，包括商家店员。`;
}

export function codePayload(message: CodeMessage) {
  return {
    idempotencyKey: message.id,
    channel: message.channel,
    event: message.kind === 'CODE' ? 'VERIFICATION_CODE' : 'ACCOUNT_EXISTS',
    urgent: true,
    to: message.to,
    text: messageText(message),
    ...(message.kind === 'CODE' ? { purpose: message.purpose, code: message.code, expiresAt: message.expiresAt } : { link: message.link }),
  };
}

/**
 * The gateway in production (a start-up error without one, see config.ts); in development
 * without a gateway the message is printed to the server console so a developer can sign in.
 */
export function createCodeSender(config: Config, print: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): CodeSender {
  if (config.NOTIFY_WEBHOOK_URL && config.NOTIFY_WEBHOOK_SECRET) {
    return { send: (message) => postToGateway(config, message.id, JSON.stringify(codePayload(message))) };
  }
  return {
    async send(message) {
      print(`[development: no gateway] ${message.channel} to ${message.to}: ${messageText(message)}`);
    },
  };
}

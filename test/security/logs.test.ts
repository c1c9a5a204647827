// Logs are read by operators, shipped and kept: a full referral story at debug level must leave
// no phone number, name, address, password, access or refresh token in them.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestPlatform } from '../fixtures.js';
import { createCast, ok } from '../story.js';

describe('logs', () => {
  it('hold no personal information and no credentials after a full referral story at debug level', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const p = await createTestPlatform({ LOG_LEVEL: 'debug' }, sink);
    const cast = await createCast(p);
    const { requestReferral } = await ok(
      p,
      `mutation($i: RequestReferralInput!) { requestReferral(input: $i) { id } }`,
      { i: { interestId: cast.interestId, purpose: '上门测量', fields: ['NAME', 'PHONE', 'ADDRESS'], retentionDays: 30 } },
      cast.curtain.accessToken,
    );
    await ok(p, `mutation($i: RespondToReferralInput!) { respondToReferral(input: $i) { status } }`, { i: { referralId: requestReferral.id, accept: true } }, cast.customerToken);
    await ok(p, `query($id: ID!) { referralRequest(id: $id) { contact { name phone address } } }`, { id: requestReferral.id }, cast.curtain.accessToken);
    await ok(p, `query($id: ID!) { customer(id: $id) { name phone address wechat } }`, { id: cast.customerId }, cast.sofa.accessToken);
    await p.gql(`mutation { signIn(input: { login: "${cast.customerPhone}", password: "a wrong password" }) { accessToken } }`);
    await p.gql(`{ this is not graphql`, {}, cast.sofa.accessToken);

    const log = lines.join('');
    expect(log.length).toBeGreaterThan(0);
    const secrets = [
      cast.customerPhone,
      cast.customerPhone.slice(3),
      '赵雅琴',
      '五马街',
      'zhao_yaqin',
      cast.sofa.password,
      'customer password',
      'a wrong password',
      cast.sofa.accessToken,
      cast.sofa.refreshToken,
      cast.customerToken,
    ];
    for (const secret of secrets) expect(log.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false);
  }, 60_000);
});

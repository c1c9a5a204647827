// Per-address limits count a client, not an address it can change: an IPv6 /64 is one client, and
// X-Forwarded-For names the client only when the hop that sent it is a trusted proxy (TRUST_PROXY).
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { addressKey } from '../../services/rate-limits.js';
import { allianceWithCommunity, postOffer, signUpMerchant } from '../factories.js';
import { createTestPlatform, type TestPlatform } from '../fixtures.js';

let n = 0;
/** Asks for a sign-up code for a new email (its own per-email limits never apply), as the client at `forwardedFor`. */
async function askForCode(p: TestPlatform, forwardedFor?: string): Promise<string> {
  let req = request(p.app).post('/graphql').set('content-type', 'application/json');
  if (forwardedFor) req = req.set('X-Forwarded-For', forwardedFor);
  const res = await req.send({ query: `mutation($e: String!) { sendSignUpCode(email: $e) { resendAfter } }`, variables: { e: `client-${n++}@example.cn` } });
  return res.body.errors?.[0]?.extensions?.code ?? 'OK';
}

const limit = { CODES_PER_IP_PER_HOUR: '2' };

describe('behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  it('each client named by the proxy keeps its own budget', async () => {
    const p = await createTestPlatform({ ...limit, TRUST_PROXY: 'loopback' });
    expect([await askForCode(p, '203.0.113.7'), await askForCode(p, '203.0.113.7'), await askForCode(p, '203.0.113.7')]).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    // Another client behind the same balancer is not locked out by the first.
    expect([await askForCode(p, '198.51.100.20'), await askForCode(p, '198.51.100.20')]).toEqual(['OK', 'OK']);
    // A client prepending its own entry changes nothing: the proxy appends the address it saw.
    expect(await askForCode(p, '192.0.2.99, 203.0.113.7')).toBe('RATE_LIMITED');
    // The same IPv4 client written as IPv4-mapped IPv6 is the same client.
    expect(await askForCode(p, '::ffff:203.0.113.7')).toBe('RATE_LIMITED');
  });

  it('addresses in one IPv6 /64 share one budget; the next /64 is another client', async () => {
    const p = await createTestPlatform({ ...limit, TRUST_PROXY: 'loopback' });
    expect(await askForCode(p, '2001:db8:1:2::1')).toBe('OK');
    expect(await askForCode(p, '2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('OK');
    // Rotating through the rest of the /64 does not buy more.
    expect(await askForCode(p, '2001:0db8:0001:0002:ffff::9')).toBe('RATE_LIMITED');
    expect(await askForCode(p, '2001:db8:1:3::1')).toBe('OK');
  });

  it('share poster scans, counted per address, count a /64 once and each client behind the proxy apart', async () => {
    const p = await createTestPlatform({ TRUST_PROXY: 'loopback', SHARE_COUNTS_PER_IP_PER_HOUR: '1' });
    const m = await signUpMerchant(p);
    const { communityId } = await allianceWithCommunity(p, m);
    const offerId = await postOffer(p, m, [communityId]);
    const made = await p.gql(`mutation($i: CreateShareChannelInput!) { createShareChannel(input: $i) { code } }`, { i: { offerId, label: '群' } }, m.accessToken);
    const { code } = made.data.createShareChannel;
    for (const client of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:7::8', '198.51.100.20', '198.51.100.20']) {
      expect((await request(p.app).get(`/s/${code}`).set('X-Forwarded-For', client).redirects(0)).status).toBe(302);
    }
    const counted = await p.gql(`query($o: ID!) { offer(id: $o) { shareChannels { edges { node { scans } } } } }`, { o: offerId }, m.accessToken);
    expect(counted.data.offer.shareChannels.edges[0].node.scans).toBe(2);
  });
});

describe('without TRUST_PROXY', () => {
  it('a forged X-Forwarded-For does not escape the limit: the connection is the client', async () => {
    const p = await createTestPlatform(limit);
    const codes = [];
    for (const forged of ['203.0.113.1', '203.0.113.2', '2001:db8:9::1', undefined]) codes.push(await askForCode(p, forged));
    expect(codes).toEqual(['OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('the address key', () => {
  it('maps IPv6 to its /64 and IPv4-mapped IPv6 to IPv4', () => {
    expect(addressKey('2001:db8:1:2::1')).toBe(addressKey('2001:DB8:1:2:ffff:ffff:ffff:ffff'));
    expect(addressKey('2001:db8:1:2::1')).not.toBe(addressKey('2001:db8:1:3::1'));
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(addressKey('fe80::1%eth0')).toBe(addressKey('fe80::2'));
    expect(addressKey(undefined)).toBe('unknown');
  });

  it('TRUST_PROXY is false, a hop count or proxy addresses; "true" (believe anyone) stops the server at start', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8']);
    for (const bad of ['true', 'everyone', '10.0.0.0/33', '']) expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
  });
});

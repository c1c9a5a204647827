// This merchant's alliance memberships (applications included), and the alliances it belongs to.
import { gql, useQuery } from 'urql';
import type { AllianceRole, MembershipStatus } from '../../domain';

export interface Membership {
  role: AllianceRole;
  status: MembershipStatus;
  alliance: { id: string; name: string; city: string };
}

const MEMBERSHIPS = gql<{ viewer: { id: string; merchant: { id: string; allianceMemberships: Membership[] } | null } | null }>`
  query MyAllianceMemberships {
    viewer { id merchant { id allianceMemberships { role status alliance { id name city } } } }
  }
`;

const context = { additionalTypenames: ['Alliance', 'AllianceMember'] };

export function useMyMemberships() {
  const [{ data, error }, reexecute] = useQuery({ query: MEMBERSHIPS, context });
  const memberships = data?.viewer?.merchant?.allianceMemberships;
  return {
    memberships,
    /** The alliances this merchant is an approved member of: where it may campaign and refer. */
    alliances: memberships?.filter((m) => m.status === 'APPROVED').map((m) => m.alliance),
    error,
    retry: () => reexecute({ requestPolicy: 'network-only' }),
  };
}

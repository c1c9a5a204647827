// This merchant's alliance memberships (applications included), and the alliances it belongs to.
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf } from '../../graphql';

const MEMBERSHIPS = graphql(`
  query MyAllianceMemberships {
    viewer { id merchant { id allianceMemberships { role status alliance { id name city } } } }
  }
`);

export type Membership = Item<NonNullable<NonNullable<ResultOf<typeof MEMBERSHIPS>['viewer']>['merchant']>['allianceMemberships']>;

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

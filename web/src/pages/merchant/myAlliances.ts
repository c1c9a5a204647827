// The alliances this merchant belongs to. The API has no such list (adminOf holds only those it
// administers), so this reads the public directory's first 100 entries and keeps those where the
// merchant has a role: enough for a city's alliances, and one place to change once the API has one.
import { gql, useQuery } from 'urql';
import type { AllianceRole } from '../../domain';

export interface MyAlliance {
  id: string;
  name: string;
  city: string;
  viewerRole: AllianceRole | null;
}

const DIRECTORY = gql<{ alliances: { edges: { node: MyAlliance }[] } }>`
  query MyAlliances {
    alliances(first: 100) { edges { node { id name city viewerRole } } }
  }
`;

const context = { additionalTypenames: ['Alliance', 'AllianceMember'] };

export function useMyAlliances() {
  const [{ data, error }, reexecute] = useQuery({ query: DIRECTORY, context });
  return {
    alliances: data?.alliances.edges.map((e) => e.node).filter((a) => a.viewerRole) ?? undefined,
    error,
    retry: () => reexecute({ requestPolicy: 'network-only' }),
  };
}

// Relay connections page by page: one query per page (first/after), a "load more" button while
// the server says there is more. Each page is its own cached query, so a mutation touching its
// types refreshes exactly the pages showing them.
import { useState, type ReactNode } from 'react';
import { useQuery, type AnyVariables, type DocumentInput, type OperationContext } from 'urql';
import { useI18n } from '../i18n';
import { Loaded } from './feedback';
import { Progress } from './forms';

export interface Connection<Node> {
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The page-info fields every paged document selects. */
export const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

export const PAGE_SIZE = 20;

interface PagedProps<Data, Node> {
  query: DocumentInput<Data, AnyVariables>;
  variables?: Record<string, unknown>;
  /** The connection inside the answer; null or undefined while there is none. */
  connection: (data: Data) => Connection<Node> | null | undefined;
  keyOf: (node: Node) => string;
  children: (node: Node) => ReactNode;
  empty: string;
  /** Typenames whose mutations change this list even while it is empty (urql's document cache). */
  context?: Partial<OperationContext>;
  pageSize?: number;
}

export function Paged<Data, Node>(props: PagedProps<Data, Node>) {
  // New variables (e.g. a new search) start again at the first page.
  const key = JSON.stringify(props.variables ?? {});
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key, cursors: [null] });
  const cursors = state.key === key ? state.cursors : [null];
  return (
    <div className="paged">
      {cursors.map((after, index) => (
        <Page
          key={after ?? ''}
          {...props}
          after={after}
          first={index === 0}
          last={index === cursors.length - 1}
          onMore={(cursor) => setState({ key, cursors: [...cursors, cursor] })}
        />
      ))}
    </div>
  );
}

function Page<Data, Node>({
  query,
  variables,
  connection,
  keyOf,
  children,
  empty,
  context,
  pageSize = PAGE_SIZE,
  after,
  first,
  last,
  onMore,
}: PagedProps<Data, Node> & { after: string | null; first: boolean; last: boolean; onMore: (cursor: string) => void }) {
  const { t } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({ query, variables: { ...variables, first: pageSize, after }, context });
  const page = data ? connection(data) : undefined;
  return (
    <Loaded value={page} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(page) => (
        <>
          {first && page.edges.length === 0 && <p className="empty">{empty}</p>}
          {page.edges.length > 0 && (
            <ul className="items">
              {page.edges.map(({ node }) => (
                <li key={keyOf(node)} className="item">
                  {children(node)}
                </li>
              ))}
            </ul>
          )}
          {last && page.pageInfo.hasNextPage && page.pageInfo.endCursor && (
            <button type="button" className="button more" disabled={fetching} onClick={() => onMore(page.pageInfo.endCursor!)}>
              <Progress pending={fetching} label={t('loadMore')} pendingLabel={t('loading')} />
            </button>
          )}
        </>
      )}
    </Loaded>
  );
}

// The alliance admin section's start: the alliances this account's merchant administers, each
// opening its admin page.
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { Loaded } from '../../ui/feedback';

const ADMIN_OF = graphql(`
  query AdminOf {
    viewer { id adminOf { id name city } }
  }
`);

export function AdminHome() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: ADMIN_OF });
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <section className="card">
        <h2>{t('admin.alliances')}</h2>
        <Loaded value={data?.viewer?.adminOf} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(alliances) =>
            alliances.length ? (
              <ul className="list">
                {alliances.map((a) => (
                  <li key={a.id}>
                    <Link to={`/admin/alliance?id=${encodeURIComponent(a.id)}`}>
                      {a.name} · {a.city}
                    </Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('admin.none')}</p>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

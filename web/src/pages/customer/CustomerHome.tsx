// The customer's home (phone-first): referral requests waiting for an answer first, then which
// shops keep their details.
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Loaded } from '../../ui/feedback';
import { useViewer } from '../../viewer';
import { ReferralRequests } from './ReferralRequests';

// Only the shops' public business cards: reading the customer's own details would be a logged read.
const MY_MERCHANTS = graphql(`
  query MyMerchants {
    viewer { id customer { id merchants { id name category city publicContact } } }
  }
`);

export function CustomerHome() {
  const { t } = useI18n();
  const viewer = useViewer();
  const [{ data, error }, reexecute] = useQuery({ query: MY_MERCHANTS });
  return (
    <>
      <h1>{t('customer.title')}</h1>
      <p className="lead">{t('hello', { name: viewer.displayName })}</p>
      <section className="card">
        <p>{t('customer.intro')}</p>
      </section>
      <section className="card">
        <h2>{t('referral.title')}</h2>
        <ReferralRequests />
      </section>
      <section className="card">
        <h2>{t('customer.merchants')}</h2>
        <Loaded value={data?.viewer?.customer?.merchants} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(merchants) =>
            merchants.length ? (
              <ul className="list">
                {merchants.map((m) => (
                  <li key={m.id}>
                    <strong>{m.name}</strong> · {m.category} · {m.city}
                    {m.publicContact && <> · {m.publicContact}</>}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{t('customer.merchants.none')}</p>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

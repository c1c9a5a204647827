// A share channel's public page (/shared/<code>), where a scan of a share poster lands: the offer or
// campaign the merchant shared, for anyone with the code, signed in or not, on a phone first. The
// visit is counted once. To show interest a visitor signs in (or claims the account a shop invited
// them to) and comes back here; a customer is pointed to their communities that show it.
import { useContext, useEffect } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { forgetReturn, Link, returnAfterSignIn } from '../../router';
import { recordShareVisit } from '../../shareVisit';
import { Found } from '../../ui/feedback';
import { MediaFields, PosterImage } from '../../ui/Poster';
import { isCustomer, ViewerContext } from '../../viewer';
import { LinkButton, LinkFields } from '../merchant/CampaignLinks';

const SHARED = graphql(
  `
  query SharedContent($code: String!) {
    sharedContent(code: $code) { kind title body merchantName startsAt endsAt poster { ...MediaFields } links { ...LinkFields } viewerCommunities { id name } }
  }
`,
  [MediaFields, LinkFields],
);

type SharedContent = NonNullable<ResultOf<typeof SHARED>['sharedContent']>;

export function SharedPage({ code }: { code: string }) {
  const client = useClient();
  const signedIn = !!useContext(ViewerContext);
  const path = `/shared/${code}`;
  useEffect(() => recordShareVisit(client, code), [client, code]);
  // A visitor who signs in (or claims an account) from here comes back here; once back, that is done.
  useEffect(() => (signedIn ? forgetReturn() : returnAfterSignIn(path)), [signedIn, path]);
  const [{ data, error }, reexecute] = useQuery({ query: SHARED, variables: { code } });
  return (
    <Found data={data} pick={(d) => d.sharedContent} missing="shared.missing" error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(content) => <SharedView content={content} />}
    </Found>
  );
}

function SharedView({ content }: { content: SharedContent }) {
  const { t, date } = useI18n();
  return (
    <article className="shared">
      {content.poster && <PosterImage media={content.poster} size="display" alt={t('poster.alt', { title: content.title })} />}
      <section className="card">
        <p className="eyebrow">{t(content.kind === 'OFFER' ? 'shared.kind.OFFER' : 'shared.kind.CAMPAIGN')}</p>
        <h1>{content.title}</h1>
        <p className="meta">
          {content.merchantName} · {t('offer.runs', { from: date(content.startsAt), to: date(content.endsAt) })}
        </p>
        {content.body && <p className="body">{content.body}</p>}
      </section>
      {content.links.length > 0 && (
        <section className="card">
          <h2>{t('links.title')}</h2>
          <ul className="items campaign-links">
            {content.links.map((link) => (
              <li key={link.id} className="item">
                <LinkButton link={link} />
              </li>
            ))}
          </ul>
        </section>
      )}
      <Interest content={content} />
    </article>
  );
}

/** How to show interest: sign in first; a customer goes to one of their communities that shows it. */
function Interest({ content }: { content: SharedContent }) {
  const { t } = useI18n();
  const viewer = useContext(ViewerContext);
  if (viewer && !isCustomer(viewer)) return null;
  return (
    <section className="card">
      <h2>{t('shared.interest.title')}</h2>
      {!viewer ? (
        <>
          <p>{t('shared.interest.signIn')}</p>
          <div className="button-row">
            <Link to="/customer/signin" className="button primary big">
              {t('shared.interest.toSignIn')}
            </Link>
            <Link to="/claim" className="button big">
              {t('shared.interest.toClaim')}
            </Link>
          </div>
        </>
      ) : content.viewerCommunities.length > 0 ? (
        <>
          <p>{t(content.kind === 'OFFER' ? 'shared.interest.inCommunity.OFFER' : 'shared.interest.inCommunity.CAMPAIGN')}</p>
          <ul className="links">
            {content.viewerCommunities.map((c) => (
              <li key={c.id}>
                <Link to={`/customer/community?id=${encodeURIComponent(c.id)}`}>{t('shared.interest.open', { community: c.name })}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('shared.interest.notInCommunity', { merchant: content.merchantName })}</p>
      )}
    </section>
  );
}

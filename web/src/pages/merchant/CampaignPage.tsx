// One joint campaign (/merchant/campaign?id=…): its poster, partners (invite, accept), offers
// (add), its activity and livestream links, publishing to every community at once, spend, the funnel
// against what was planned, and share posters.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';
import { Found, Loaded, Notice } from '../../ui/feedback';
import { ActionButton, ActionOutcome, Checkboxes, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import { MediaFields, PosterImage } from '../../ui/Poster';
import { PosterUpload } from '../../ui/PosterUpload';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';
import { MEMBERS } from './AlliancePage';
import { MY_OFFERS } from './OffersPage';
import { CampaignChart, StatsFields } from './CampaignChart';
import { CampaignLinks } from './CampaignLinks';
import { ShareChannels } from './ShareChannels';
import { CampaignVariants } from './CampaignVariants';

const CampaignFields = graphql(
  `
  fragment CampaignFields on Campaign @_unmask { id title description status startsAt endsAt expectedResponses alliance { id name } communities { id name } offers { id title status merchant { id name } } participants { isOrganizer status merchant { id name } } poster { ...MediaFields } }
`,
  [MediaFields],
);

type Campaign = ResultOf<typeof CampaignFields>;

const CAMPAIGN = graphql(
  `
  query Campaign($id: ID!) {
    campaign(id: $id) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

// Participants only (the budget too): a separate query, so that others still see the campaign.
const STATS = graphql(
  `
  query CampaignStats($id: ID!) {
    campaign(id: $id) { id budget stats { ...StatsFields } }
  }
`,
  [StatsFields],
);

const INVITE = graphql(
  `
  mutation InviteToCampaign($campaignId: ID!, $merchantIds: [ID!]!) {
    inviteToCampaign(campaignId: $campaignId, merchantIds: $merchantIds) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

const RESPOND = graphql(
  `
  mutation RespondToCampaignInvite($campaignId: ID!, $accept: Boolean!) {
    respondToCampaignInvite(campaignId: $campaignId, accept: $accept) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

const ADD_OFFER = graphql(
  `
  mutation AddOfferToCampaign($campaignId: ID!, $offerId: ID!) {
    addOfferToCampaign(campaignId: $campaignId, offerId: $offerId) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

const PUBLISH = graphql(
  `
  mutation PublishCampaign($campaignId: ID!) {
    publishCampaign(campaignId: $campaignId) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

const SPEND = graphql(`
  mutation RecordCampaignSpend($campaignId: ID!, $amount: Int!, $note: String) {
    recordCampaignSpend(campaignId: $campaignId, amount: $amount, note: $note) { id }
  }
`);

const SET_POSTER = graphql(
  `
  mutation SetCampaignPoster($input: SetCampaignPosterInput!) {
    setCampaignPoster(input: $input) { ...CampaignFields }
  }
`,
  [CampaignFields],
);

const statsContext = { additionalTypenames: ['Campaign'] };

export function CampaignPage() {
  const id = useLocation().query.get('id') ?? '';
  const [{ data, error }, reexecute] = useQuery({ query: CAMPAIGN, variables: { id } });
  return (
    <Found data={data} pick={(d) => d.campaign} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(campaign) => <CampaignView campaign={campaign} />}
    </Found>
  );
}

function CampaignView({ campaign: c }: { campaign: Campaign }) {
  const { t, date } = useI18n();
  const me = useViewer().merchant?.id;
  const mine = c.participants.find((p) => p.merchant.id === me);
  const organizer = !!mine?.isOrganizer;
  const accepted = mine?.status === 'ACCEPTED';
  const publish = useAction(PUBLISH);
  return (
    <>
      <p className="eyebrow">{c.alliance.name}</p>
      <h1>{c.title}</h1>
      {c.description && <p className="lead">{c.description}</p>}
      <section className="card">
        <dl className="facts">
          <dt>{t('campaigns.status')}</dt>
          <dd>{t(`campaignStatus.${c.status}`)}</dd>
          <dt>{t('campaigns.runs')}</dt>
          <dd>{t('offer.runs', { from: date(c.startsAt), to: date(c.endsAt) })}</dd>
          <dt>{t('campaigns.field.expected')}</dt>
          <dd>{c.expectedResponses}</dd>
          <dt>{t('campaigns.field.communities')}</dt>
          <dd>{c.communities.map((x) => x.name).join('、')}</dd>
        </dl>
        {organizer && c.status === 'DRAFT' ? (
          <ActionButton
            kind="primary"
            action={publish}
            label={t('campaigns.publish')}
            pendingLabel={t('campaigns.publishing')}
            onClick={() => void publish.run({ campaignId: c.id })}
            success={() => t('campaigns.published')}
          />
        ) : (
          // The button goes once the campaign is out; the confirmation stays.
          <ActionOutcome outcome={publish.outcome} success={() => t('campaigns.published')} />
        )}
        {mine?.status === 'INVITED' && <RespondToInvite campaignId={c.id} />}
      </section>
      <CampaignPoster campaign={c} organizer={organizer} />
      <CampaignLinks campaignId={c.id} organizer={organizer} />
      <CampaignVariants campaignId={c.id} editable={organizer && c.status === 'DRAFT'} results={accepted && c.status !== 'DRAFT'} />
      {accepted && <StatsCard campaign={c} />}
      {accepted && c.status === 'PUBLISHED' && <ShareChannels target={{ campaignId: c.id }} communities={c.communities} />}
      <section className="card">
        <h2>{t('campaigns.participants')}</h2>
        <ul className="items">
          {c.participants.map((p) => (
            <li key={p.merchant.id} className="item">
              <span className="item-title">{p.merchant.name}</span>
              <span className="meta"> · {p.isOrganizer ? t('campaigns.organizer') : t(`participantStatus.${p.status}`)}</span>
            </li>
          ))}
        </ul>
        {organizer && c.status === 'DRAFT' && <InvitePartners campaign={c} />}
      </section>
      <section className="card">
        <h2>{t('campaigns.offers')}</h2>
        {c.offers.length ? (
          <ul className="items">
            {c.offers.map((o) => (
              <li key={o.id} className="item">
                <span className="item-title">{o.title}</span>
                <span className="meta">
                  {' '}
                  · {o.merchant.name} · {t(`offerStatus.${o.status}`)}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('campaigns.offers.none')}</p>
        )}
        {accepted && c.status !== 'ENDED' && c.status !== 'CANCELLED' && <AddOffer campaign={c} />}
      </section>
    </>
  );
}

/** The poster at display size; the organizer uploads or replaces it. */
function CampaignPoster({ campaign: c, organizer }: { campaign: Campaign; organizer: boolean }) {
  const { t } = useI18n();
  const setPoster = useAction(SET_POSTER);
  const alt = t('poster.alt', { title: c.title });
  if (!organizer) {
    return (
      c.poster && (
        <section className="card">
          <PosterImage media={c.poster} size="display" alt={alt} />
        </section>
      )
    );
  }
  return (
    <section className="card">
      <h2>{t('poster.title')}</h2>
      <PosterUpload poster={c.poster} alt={alt} action={setPoster} attach={(mediaId) => setPoster.run({ input: { campaignId: c.id, mediaId } })} />
    </section>
  );
}

/** Accepting or declining an invitation to a campaign (here and in the campaigns list). */
export function RespondToInvite({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const accept = useAction(RESPOND);
  const decline = useAction(RESPOND);
  return (
    <div className="button-row">
      <Notice kind="info">{t('campaigns.invited')}</Notice>
      <ActionButton kind="primary" action={accept} label={t('campaigns.accept')} pendingLabel={t('saving')} onClick={() => void accept.run({ campaignId, accept: true })} />
      <ActionButton action={decline} label={t('campaigns.decline')} pendingLabel={t('saving')} onClick={() => void decline.run({ campaignId, accept: false })} />
    </div>
  );
}

function InvitePartners({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: MEMBERS, variables: { id: campaign.alliance.id, first: 100 } });
  const taken = new Set(campaign.participants.map((p) => p.merchant.id));
  const candidates = data?.alliance?.members.edges.map((e) => e.node).filter((m) => m.status === 'APPROVED' && !taken.has(m.merchant.id)) ?? [];
  const [chosen, setChosen] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const action = useAction(INVITE);
  // Once everyone is invited the form goes, but what the last invitation came to stays.
  if (!candidates.length) return <ActionOutcome outcome={action.outcome} success={() => t('campaigns.invited.done')} />;
  const submit = async () => {
    setTried(true);
    if (chosen.length && (await action.run({ campaignId: campaign.id, merchantIds: chosen }))) setChosen([]);
  };
  return (
    <Form action={action} onSubmit={() => void submit()} submitLabel={t('campaigns.invite')} pendingLabel={t('saving')} success={() => t('campaigns.invited.done')}>
      <Checkboxes
        legend={t('campaigns.invite.who')}
        options={candidates.map((m) => ({ value: m.merchant.id, label: `${m.merchant.name} · ${m.merchant.category}` }))}
        selected={chosen}
        onChange={setChosen}
        problem={tried && !chosen.length ? t('campaigns.invite.none') : undefined}
      />
    </Form>
  );
}

function AddOffer({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: MY_OFFERS, variables: { first: 100, after: null } });
  const inCampaign = new Set(campaign.offers.map((o) => o.id));
  const offers = data?.viewer?.merchant?.offers.edges.map((e) => e.node).filter((o) => !inCampaign.has(o.id) && (o.status === 'PUBLISHED' || o.status === 'DRAFT')) ?? [];
  const [offerId, setOfferId] = useState('');
  const action = useAction(ADD_OFFER);
  // After the last one went in, say so rather than that there is none.
  if (!offers.length) return action.outcome ? <ActionOutcome outcome={action.outcome} success={() => t('campaigns.addOffer.done')} /> : <p className="hint">{t('campaigns.addOffer.none')}</p>;
  const chosen = offerId || offers[0]!.id;
  return (
    <Form action={action} onSubmit={() => void action.run({ campaignId: campaign.id, offerId: chosen })} submitLabel={t('campaigns.addOffer')} pendingLabel={t('saving')} success={() => t('campaigns.addOffer.done')} wording={{ CONFLICT: 'campaigns.addOffer.conflict' }}>
      <Select label={t('campaigns.addOffer.which')} value={chosen} onChange={setOfferId} options={offers.map((o) => ({ value: o.id, label: o.title }))} />
    </Form>
  );
}

function StatsCard({ campaign }: { campaign: Campaign }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: STATS, variables: { id: campaign.id }, context: statsContext });
  return (
    <section className="card">
      <h2>{t('campaigns.stats')}</h2>
      <Loaded value={data?.campaign} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(c) => <CampaignChart stats={c.stats} budget={c.budget} expected={campaign.expectedResponses} />}
      </Loaded>
      <RecordSpend campaignId={campaign.id} />
    </section>
  );
}

function RecordSpend({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const form = useFormValues({ amount: '', note: '' }, { amount: rules.int(1, 1_000_000), note: rules.optional(rules.text(200)) });
  const action = useAction(SPEND);
  const submit = async () => {
    if (!form.validate()) return;
    const note = form.values.note.trim();
    if (await action.run({ campaignId, amount: Number(form.values.amount) * 100, ...(note ? { note } : {}) })) form.reset();
  };
  return (
    <details>
      <summary>{t('campaigns.spend')}</summary>
      <Form action={action} onSubmit={() => void submit()} submitLabel={t('campaigns.spend.submit')} pendingLabel={t('saving')} success={() => t('campaigns.spend.done')}>
        <Field label={t('campaigns.spend.amount')} type="number" inputMode="numeric" min={1} {...form.field('amount')} />
        <Field label={t('campaigns.spend.note')} {...form.field('note')} />
      </Form>
    </details>
  );
}

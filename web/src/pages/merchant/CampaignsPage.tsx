// Joint campaigns: invitations waiting for an answer, the campaigns this merchant organises or
// takes part in, and a new one.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf } from '../../graphql';
import { daysFromNow, endOfDay, startOfDay } from '../../domain';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router';
import { Loaded } from '../../ui/feedback';
import { Checkboxes, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import { MediaFields, PosterImage } from '../../ui/Poster';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';
import { COMMUNITIES } from './AlliancePage';
import { RespondToInvite } from './CampaignPage';
import { useMyMemberships } from './myAlliances';

const MY_CAMPAIGNS = graphql(
  `
  query MyCampaigns {
    viewer { id merchant { id campaigns { id title status startsAt endsAt alliance { id name } participants { isOrganizer status merchant { id name } } poster { ...MediaFields } } } }
  }
`,
  [MediaFields],
);

type CampaignRef = Item<NonNullable<NonNullable<ResultOf<typeof MY_CAMPAIGNS>['viewer']>['merchant']>['campaigns']>;

const CREATE = graphql(`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) { id title status }
  }
`);

export const campaignLink = (id: string) => `/merchant/campaign?id=${encodeURIComponent(id)}`;
// An invitation or a new campaign changes the list even while it is empty.
const context = { additionalTypenames: ['Campaign'] };

export function CampaignsPage() {
  const { t } = useI18n();
  const me = useViewer().merchant?.id;
  const [{ data, error }, reexecute] = useQuery({ query: MY_CAMPAIGNS, context });
  const campaigns = data?.viewer?.merchant?.campaigns;
  const myStatus = (c: CampaignRef) => c.participants.find((p) => p.merchant.id === me)?.status;
  return (
    <>
      <h1>{t('campaigns.title')}</h1>
      <p className="lead">{t('campaigns.intro')}</p>
      <Loaded value={campaigns} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(list) => {
          const invitations = list.filter((c) => myStatus(c) === 'INVITED');
          const mine = list.filter((c) => myStatus(c) === 'ACCEPTED');
          return (
            <>
              {invitations.length > 0 && (
                <section className="card">
                  <h2>{t('campaigns.invitations')}</h2>
                  <ul className="items">
                    {invitations.map((c) => (
                      <li key={c.id} className="item">
                        <CampaignEntry campaign={c} />
                        <RespondToInvite campaignId={c.id} />
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              <section className="card">
                <h2>{t('campaigns.mine')}</h2>
                {mine.length ? (
                  <ul className="items">
                    {mine.map((c) => (
                      <li key={c.id} className="item">
                        <CampaignEntry campaign={c} />
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="empty">{t('campaigns.none')}</p>
                )}
              </section>
            </>
          );
        }}
      </Loaded>
      <section className="card">
        <h2>{t('campaigns.create')}</h2>
        <CreateCampaign />
      </section>
    </>
  );
}

function CampaignEntry({ campaign: c }: { campaign: CampaignRef }) {
  const { t, date } = useI18n();
  const organizer = c.participants.find((p) => p.isOrganizer)?.merchant.name;
  return (
    <>
      <Link to={campaignLink(c.id)} className="item-title">
        {c.title}
      </Link>
      {c.poster && <PosterImage media={c.poster} size="thumb" alt={t('poster.alt', { title: c.title })} />}
      <p className="meta">
        {c.alliance.name} · {t(`campaignStatus.${c.status}`)} · {t('offer.runs', { from: date(c.startsAt), to: date(c.endsAt) })}
        {organizer && <> · {t('campaigns.organizedBy', { name: organizer })}</>}
      </p>
    </>
  );
}

function CreateCampaign() {
  const { t } = useI18n();
  const mine = useMyMemberships();
  const [allianceId, setAllianceId] = useState('');
  return (
    <Loaded value={mine.alliances} error={mine.error} retry={mine.retry}>
      {(alliances) => {
        const chosen = allianceId || alliances[0]?.id;
        if (!chosen) return <p className="empty">{t('campaigns.noAlliance')}</p>;
        return (
          <>
            {alliances.length > 1 && <Select label={t('campaigns.alliance')} value={chosen} onChange={setAllianceId} options={alliances.map((a) => ({ value: a.id, label: a.name }))} />}
            <CampaignForm key={chosen} allianceId={chosen} />
          </>
        );
      }}
    </Loaded>
  );
}

function CampaignForm({ allianceId }: { allianceId: string }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: COMMUNITIES, variables: { id: allianceId, first: 100 } });
  const open = data?.alliance?.communities.edges.map((e) => e.node).filter((c) => c.status === 'OPEN') ?? [];
  const [communityIds, setCommunityIds] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const form = useFormValues(
    { title: '', description: '', startsAt: daysFromNow(0), endsAt: daysFromNow(30), budget: '0', expectedResponses: '0' },
    {
      title: rules.text(120),
      description: rules.optional(rules.text(4000)),
      startsAt: rules.date,
      endsAt: rules.date,
      budget: rules.int(0, 100_000_000),
      expectedResponses: rules.int(0, 1_000_000),
    },
  );
  const action = useAction(CREATE);
  const endsBeforeStart = form.values.endsAt < form.values.startsAt;
  const submit = async () => {
    setTried(true);
    if (!form.validate() || endsBeforeStart || communityIds.length === 0) return;
    const v = form.values;
    const data = await action.run({
      input: {
        allianceId,
        communityIds,
        title: v.title.trim(),
        description: v.description.trim(),
        startsAt: startOfDay(v.startsAt),
        endsAt: endOfDay(v.endsAt),
        // People think in yuan; the API counts fen.
        budget: Number(v.budget) * 100,
        expectedResponses: Number(v.expectedResponses),
      },
    });
    if (data) navigate(campaignLink(data.createCampaign.id));
  };
  return (
    <Form action={action} onSubmit={() => void submit()} submitLabel={t('campaigns.create.submit')} pendingLabel={t('saving')}>
      <Field label={t('campaigns.field.title')} {...form.field('title')} />
      <Field label={t('campaigns.field.description')} multiline rows={3} {...form.field('description')} />
      <Checkboxes
        legend={t('campaigns.field.communities')}
        options={open.map((c) => ({ value: c.id, label: c.name }))}
        selected={communityIds}
        onChange={setCommunityIds}
        problem={tried && communityIds.length === 0 ? t('campaigns.field.communities.none') : undefined}
      />
      <Field label={t('offer.field.startsAt')} type="date" {...form.field('startsAt')} />
      <Field label={t('offer.field.endsAt')} type="date" {...form.field('endsAt')} problem={form.field('endsAt').problem ?? (endsBeforeStart ? rules.endsBeforeStartProblem : undefined)} />
      <Field label={t('campaigns.field.budget')} type="number" inputMode="numeric" min={0} {...form.field('budget')} />
      <Field label={t('campaigns.field.expected')} type="number" inputMode="numeric" min={0} {...form.field('expectedResponses')} />
    </Form>
  );
}

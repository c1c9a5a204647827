// Joint campaigns: the ones this merchant's offers are part of, and a new one. The API lists no
// campaigns per merchant (nor invitations), so a new campaign's page link is shared with the
// partners it invites, and the list below is found through this merchant's offers.
import { useState } from 'react';
import { gql, useQuery } from 'urql';
import { daysFromNow, endOfDay, startOfDay, type CampaignStatus } from '../../domain';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router';
import { Loaded } from '../../ui/feedback';
import { Checkboxes, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { COMMUNITIES } from './AlliancePage';
import { useMyAlliances } from './myAlliances';

interface CampaignRef {
  id: string;
  title: string;
  status: CampaignStatus;
}

const CAMPAIGNS_OF_MY_OFFERS = gql<{ viewer: { id: string; merchant: { id: string; offers: { edges: { node: { id: string; campaign: CampaignRef | null } }[] } } | null } | null }>`
  query CampaignsOfMyOffers {
    viewer { id merchant { id offers(first: 100) { edges { node { id campaign { id title status } } } } } }
  }
`;

interface CreateCampaignInput {
  allianceId: string;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  budget: number;
  expectedResponses: number;
  communityIds: string[];
}

const CREATE = gql<{ createCampaign: { id: string } }, { input: CreateCampaignInput }>`
  mutation CreateCampaign($input: CreateCampaignInput!) {
    createCampaign(input: $input) { id title status }
  }
`;

export const campaignLink = (id: string) => `/merchant/campaign?id=${encodeURIComponent(id)}`;
const context = { additionalTypenames: ['Campaign', 'Offer'] };

export function CampaignsPage() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: CAMPAIGNS_OF_MY_OFFERS, context });
  const campaigns = data?.viewer?.merchant?.offers.edges.flatMap((e) => (e.node.campaign ? [e.node.campaign] : []));
  const unique = campaigns && [...new Map(campaigns.map((c) => [c.id, c])).values()];
  return (
    <>
      <h1>{t('campaigns.title')}</h1>
      <p className="lead">{t('campaigns.intro')}</p>
      <section className="card">
        <h2>{t('campaigns.mine')}</h2>
        <Loaded value={unique} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(list) =>
            list.length ? (
              <ul className="items">
                {list.map((c) => (
                  <li key={c.id} className="item">
                    <Link to={campaignLink(c.id)} className="item-title">
                      {c.title}
                    </Link>
                    <p className="meta">{t(`campaignStatus.${c.status}`)}</p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('campaigns.none')}</p>
            )
          }
        </Loaded>
      </section>
      <section className="card">
        <h2>{t('campaigns.create')}</h2>
        <CreateCampaign />
      </section>
    </>
  );
}

function CreateCampaign() {
  const { t } = useI18n();
  const mine = useMyAlliances();
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

// Share posters of an offer or a campaign: one channel per group chat a merchant posts in, each
// with its link, its scan and visit counts (counts only: nothing about who), and its poster (the
// QR code of the link on the uploaded poster) to preview and save on a phone.
import { useState } from 'react';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';

const ChannelFields = graphql(`
  fragment ChannelFields on ShareChannel @_unmask { id code label link posterUrl scans visits community { id name } }
`);

type ShareChannel = ResultOf<typeof ChannelFields>;

const OFFER_CHANNELS = graphql(
  `
  query OfferShareChannels($id: ID!, $first: Int, $after: String) {
    offer(id: $id) { id shareChannels(first: $first, after: $after) { edges { node { ...ChannelFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [ChannelFields],
);

const CAMPAIGN_CHANNELS = graphql(
  `
  query CampaignShareChannels($id: ID!, $first: Int, $after: String) {
    campaign(id: $id) { id shareChannels(first: $first, after: $after) { edges { node { ...ChannelFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [ChannelFields],
);

const CREATE = graphql(
  `
  mutation CreateShareChannel($input: CreateShareChannelInput!) {
    createShareChannel(input: $input) { ...ChannelFields }
  }
`,
  [ChannelFields],
);

// The first channel brings a type the empty list did not hold.
const channelsContext = { additionalTypenames: ['ShareChannel'] };

/** The size server/share/poster.ts draws posters at: set on the preview so the page does not jump. */
const POSTER_SIZE = { width: 750, height: 1334 };

export function ShareChannels({ target, communities }: { target: { offerId: string } | { campaignId: string }; communities: { id: string; name: string }[] }) {
  const { t } = useI18n();
  const shared = { context: channelsContext, keyOf: (c: ShareChannel) => c.id, empty: t('share.none'), children: (c: ShareChannel) => <ChannelEntry channel={c} /> };
  return (
    <section className="card">
      <h2>{t('share.title')}</h2>
      <p className="hint">{t('share.intro')}</p>
      {'offerId' in target ? (
        <Paged query={OFFER_CHANNELS} variables={{ id: target.offerId }} connection={(d) => d.offer?.shareChannels} {...shared} />
      ) : (
        <Paged query={CAMPAIGN_CHANNELS} variables={{ id: target.campaignId }} connection={(d) => d.campaign?.shareChannels} {...shared} />
      )}
      <CreateChannel target={target} communities={communities} />
    </section>
  );
}

function ChannelEntry({ channel: c }: { channel: ShareChannel }) {
  const { t } = useI18n();
  return (
    <div className="share-channel">
      <p className="item-title">{c.label}</p>
      <p className="meta">
        {c.community ? `${c.community.name} · ` : ''}
        {t('share.counts', { scans: c.scans, visits: c.visits })}
      </p>
      <code className="share-link">{c.link}</code>
      <img className="share-poster" src={c.posterUrl} {...POSTER_SIZE} loading="lazy" alt={t('share.poster.alt', { label: c.label })} />
      {/* The server sends the poster as an attachment, so a phone saves it instead of opening it. */}
      <a className="button primary" href={c.posterUrl} download={`poster-${c.code}.png`}>
        {t('share.download')}
      </a>
    </div>
  );
}

function CreateChannel({ target, communities }: { target: { offerId: string } | { campaignId: string }; communities: { id: string; name: string }[] }) {
  const { t } = useI18n();
  const form = useFormValues({ label: '' }, { label: rules.text(40) });
  const [communityId, setCommunityId] = useState('');
  const action = useAction(CREATE);
  const submit = async () => {
    if (!form.validate()) return;
    const input = { ...target, label: form.values.label.trim(), ...(communityId ? { communityId } : {}) };
    if (await action.run({ input })) {
      form.reset();
      setCommunityId('');
    }
  };
  return (
    <Form action={action} onSubmit={() => void submit()} submitLabel={t('share.create')} pendingLabel={t('saving')} success={() => t('share.created')}>
      <Field label={t('share.field.label')} placeholder={t('share.field.label.placeholder')} {...form.field('label')} />
      <Select
        label={t('share.field.community')}
        value={communityId}
        onChange={setCommunityId}
        options={[{ value: '', label: t('share.field.community.none') }, ...communities.map((c) => ({ value: c.id, label: c.name }))]}
      />
    </Form>
  );
}

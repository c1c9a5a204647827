// A campaign's activity and livestream links as buttons, each with its start time, a livestream
// on air marked "live now"; the organizer adds and removes them.
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { dateTimeInput, fromDateTimeInput } from '../../domain';
import { graphql, type ResultOf, type SchemaType } from '../../graphql';
import { useI18n } from '../../i18n';
import { Loaded } from '../../ui/feedback';
import { ConfirmAction, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';

/** The link fields LinkButton shows, for documents to select. */
export const LinkFields = graphql(`
  fragment LinkFields on CampaignLink @_unmask { id kind title url startsAt endsAt isLive }
`);

export type CampaignLink = ResultOf<typeof LinkFields>;

const LINKS = graphql(
  `
  query CampaignLinks($id: ID!) {
    campaign(id: $id) { id links { ...LinkFields } }
  }
`,
  [LinkFields],
);

const ADD = graphql(
  `
  mutation AddCampaignLink($input: AddCampaignLinkInput!) {
    addCampaignLink(input: $input) { ...LinkFields }
  }
`,
  [LinkFields],
);

const REMOVE = graphql(
  `
  mutation RemoveCampaignLink($input: RemoveCampaignLinkInput!) {
    removeCampaignLink(input: $input) { id links { ...LinkFields } }
  }
`,
  [LinkFields],
);

// The first link of a campaign brings a type the answer did not hold before.
const linksContext = { additionalTypenames: ['CampaignLink'] };

/** The longest wait a timer takes (setTimeout fires at once beyond about 24.8 days). */
const MAX_WAIT_MS = 2 ** 31 - 1;

export function CampaignLinks({ campaignId, organizer }: { campaignId: string; organizer: boolean }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: LINKS, variables: { id: campaignId }, context: linksContext });
  const links = data?.campaign?.links;
  // Ask again when a livestream starts or ends, so "live now" follows the clock on an open page.
  useEffect(() => {
    const now = Date.now();
    const next = Math.min(
      ...(links ?? []).filter((l) => l.kind === 'LIVESTREAM').flatMap((l) => [l.startsAt, l.endsAt].filter((at): at is string => !!at).map(Date.parse)).filter((at) => at > now),
    );
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(() => reexecute({ requestPolicy: 'network-only' }), Math.min(MAX_WAIT_MS, next - now + 1_000));
    return () => clearTimeout(timer);
  }, [links, reexecute]);
  return (
    <section className="card">
      <h2>{t('links.title')}</h2>
      <Loaded value={links} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(list) =>
          list.length ? (
            <ul className="items campaign-links">
              {list.map((link) => (
                <li key={link.id} className="item">
                  <LinkButton link={link} />
                  {organizer && <RemoveLink link={link} />}
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t('links.none')}</p>
          )
        }
      </Loaded>
      {organizer && <AddLink campaignId={campaignId} />}
    </section>
  );
}

/** One link as a button, with when it runs; also on a share channel's public page. */
export function LinkButton({ link }: { link: CampaignLink }) {
  const { t, dateTime } = useI18n();
  const kind = t(`links.kind.${link.kind}`);
  return (
    <>
      <a className="button link-button" href={link.url} target="_blank" rel="noopener noreferrer">
        {link.title}
        {link.isLive && <span className="live">{t('links.live')}</span>}
        <span className="visually-hidden">{t('links.opensElsewhere')}</span>
      </a>
      <p className="meta">
        {link.endsAt ? t('links.runs', { kind, from: dateTime(link.startsAt), to: dateTime(link.endsAt) }) : t('links.starts', { kind, when: dateTime(link.startsAt) })}
      </p>
    </>
  );
}

function RemoveLink({ link }: { link: CampaignLink }) {
  const { t } = useI18n();
  const action = useAction(REMOVE);
  return (
    <ConfirmAction
      action={action}
      label={t('links.remove')}
      question={t('links.remove.question', { title: link.title })}
      confirmLabel={t('links.remove.confirm')}
      pendingLabel={t('saving')}
      onConfirm={() => action.run({ input: { linkId: link.id } })}
    />
  );
}

function AddLink({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const form = useFormValues(
    { title: '', url: '', startsAt: dateTimeInput(new Date().toISOString()), endsAt: '' },
    { title: rules.text(60), url: rules.httpsUrl, startsAt: rules.date, endsAt: rules.optional(rules.date) },
  );
  const [kind, setKind] = useState<SchemaType<'CampaignLinkKind'>>('LIVESTREAM');
  const action = useAction(ADD);
  const { startsAt, endsAt } = form.values;
  const endsNotAfterStart = !!startsAt && !!endsAt && endsAt <= startsAt;
  const submit = async () => {
    if (!form.validate() || endsNotAfterStart) return;
    const v = form.values;
    const input = {
      campaignId,
      kind,
      title: v.title.trim(),
      url: v.url.trim(),
      startsAt: fromDateTimeInput(v.startsAt),
      ...(v.endsAt ? { endsAt: fromDateTimeInput(v.endsAt) } : {}),
    };
    if (await action.run({ input })) form.reset();
  };
  return (
    <details>
      <summary>{t('links.add')}</summary>
      <Form action={action} onSubmit={() => void submit()} submitLabel={t('links.add.submit')} pendingLabel={t('saving')} success={() => t('links.added')} wording={{ CONFLICT: 'links.conflict' }}>
        <Select
          label={t('links.field.kind')}
          value={kind}
          onChange={setKind}
          options={(['LIVESTREAM', 'ACTIVITY'] as const).map((value) => ({ value, label: t(`links.kind.${value}`) }))}
        />
        <Field label={t('links.field.title')} {...form.field('title')} />
        <Field label={t('links.field.url')} type="url" inputMode="url" placeholder="https://" {...form.field('url')} />
        <Field label={t('links.field.startsAt')} type="datetime-local" {...form.field('startsAt')} />
        <Field
          label={t('links.field.endsAt')}
          type="datetime-local"
          hint={t('links.field.endsAt.hint')}
          {...form.field('endsAt')}
          problem={form.field('endsAt').problem ?? (endsNotAfterStart ? rules.endsNotAfterStartProblem : undefined)}
        />
      </Form>
    </details>
  );
}

// Consent & preferences: whether shops may ask at all, how, about what and how often; blocked
// shops. Every save is a new version (append-only), listed below with who changed what and why.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type NodeOf, type ResultOf } from '../../graphql';
import { CHANNELS, type Channel } from '../../domain';
import { useI18n } from '../../i18n';
import { Loaded } from '../../ui/feedback';
import { ActionButton, Checkbox, Checkboxes, Field, Form, useAction, useFormValues } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';

const SettingsFields = graphql(`
  fragment SettingsFields on ConsentSettings @_unmask { allowReferrals channels categories maxRequestsPerWeek maxRequestsPerMonth }
`);

const CONSENT = graphql(
  `
  query MyConsent {
    viewer { id customer { id consent { ...SettingsFields version updatedAt blockedMerchants { id name } } } }
  }
`,
  [SettingsFields],
);

type Consent = NonNullable<NonNullable<ResultOf<typeof CONSENT>['viewer']>['customer']>['consent'];

const HISTORY = graphql(`
  query MyConsentHistory($first: Int, $after: String) {
    viewer { id customer { id consentHistory(first: $first, after: $after) { edges { node { version changedAt changedBy reason settings { allowReferrals channels categories maxRequestsPerWeek maxRequestsPerMonth } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

type Version = NodeOf<NonNullable<NonNullable<ResultOf<typeof HISTORY>['viewer']>['customer']>['consentHistory']>;

const UPDATE = graphql(
  `
  mutation UpdateConsent($input: UpdateConsentInput!) {
    updateConsent(input: $input) { ...SettingsFields version updatedAt blockedMerchants { id name } }
  }
`,
  [SettingsFields],
);

/** Categories typed as one line, separated by commas (either width) or the ideographic comma. */
const splitCategories = (value: string) => [...new Set(value.split(/[,，、]/).map((c) => c.trim()).filter(Boolean))];

export function ConsentPage() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: CONSENT });
  return (
    <>
      <h1>{t('consent.title')}</h1>
      <p className="lead">{t('consent.intro')}</p>
      <Loaded value={data?.viewer?.customer?.consent} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(consent) => <ConsentForm consent={consent} />}
      </Loaded>
      <section className="card">
        <h2>{t('consent.history')}</h2>
        <Paged query={HISTORY} connection={(d) => d.viewer?.customer?.consentHistory} keyOf={(v) => String(v.version)} empty={t('consent.history.none')}>
          {(v) => <HistoryEntry version={v} />}
        </Paged>
      </section>
    </>
  );
}

function ConsentForm({ consent }: { consent: Consent }) {
  const { t, dateTime } = useI18n();
  const [allowReferrals, setAllowReferrals] = useState(consent.allowReferrals);
  const [channels, setChannels] = useState<Channel[]>(consent.channels);
  const form = useFormValues(
    {
      categories: consent.categories.join(', '),
      maxRequestsPerWeek: String(consent.maxRequestsPerWeek),
      maxRequestsPerMonth: String(consent.maxRequestsPerMonth),
      reason: '',
    },
    {
      categories: rules.optional(rules.text(1200)),
      maxRequestsPerWeek: rules.int(0, 7),
      maxRequestsPerMonth: rules.int(0, 30),
      reason: rules.optional(rules.text(500)),
    },
  );
  const save = useAction(UPDATE);
  const unblock = useAction(UPDATE);
  const submit = () => {
    if (!form.validate()) return;
    const { categories, maxRequestsPerWeek, maxRequestsPerMonth, reason } = form.values;
    void save.run({
      input: {
        allowReferrals,
        channels,
        categories: splitCategories(categories),
        maxRequestsPerWeek: Number(maxRequestsPerWeek),
        maxRequestsPerMonth: Number(maxRequestsPerMonth),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      },
    });
  };
  return (
    <>
      <section className="card">
        <p className="hint">{t('consent.version', { version: consent.version, date: dateTime(consent.updatedAt) })}</p>
        <Form action={save} onSubmit={submit} submitLabel={t('consent.save')} pendingLabel={t('saving')} success={(d) => t('consent.saved', { version: d.updateConsent.version })}>
          <Checkbox label={t('consent.allowReferrals')} hint={t('consent.allowReferrals.hint')} checked={allowReferrals} onChange={setAllowReferrals} />
          <Checkboxes legend={t('consent.channels')} options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))} selected={channels} onChange={setChannels} />
          <Field label={t('consent.categories')} hint={t('consent.categories.hint')} {...form.field('categories')} />
          <Field label={t('consent.perWeek')} type="number" inputMode="numeric" min={0} max={7} {...form.field('maxRequestsPerWeek')} />
          <Field label={t('consent.perMonth')} type="number" inputMode="numeric" min={0} max={30} {...form.field('maxRequestsPerMonth')} />
          <Field label={t('consent.reason')} {...form.field('reason')} />
        </Form>
      </section>
      <section className="card">
        <h2>{t('consent.blocked')}</h2>
        {consent.blockedMerchants.length ? (
          <ul className="items">
            {consent.blockedMerchants.map((m) => (
              <li key={m.id} className="item row">
                <span>{m.name}</span>
                <ActionButton action={unblock} label={t('consent.unblock')} pendingLabel={t('saving')} onClick={() => void unblock.run({ input: { unblockMerchantIds: [m.id] } })} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="empty">{t('consent.blocked.none')}</p>
        )}
      </section>
    </>
  );
}

function HistoryEntry({ version: v }: { version: Version }) {
  const { t, dateTime, list } = useI18n();
  const s = v.settings;
  return (
    <>
      <p className="item-title">{t('consent.history.entry', { version: v.version, date: dateTime(v.changedAt), who: v.changedBy === 'CUSTOMER' ? t('consent.history.you') : v.changedBy })}</p>
      <p className="meta">
        {t(s.allowReferrals ? 'consent.history.allows' : 'consent.history.refuses')} · {t('consent.history.caps', { week: s.maxRequestsPerWeek, month: s.maxRequestsPerMonth })}
        {s.channels.length > 0 && <> · {list(s.channels.map((c) => t(`channel.${c}`)))}</>}
        {s.categories.length > 0 && <> · {list(s.categories)}</>}
      </p>
      {v.reason && <p>{t('consent.history.reason', { reason: v.reason })}</p>}
    </>
  );
}

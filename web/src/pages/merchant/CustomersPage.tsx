// The merchant's own customers: find, add (only with the customer's consent), show the invite QR
// code, and introduce a customer to an alliance partner. Contact fields show only when the API
// returns them (staff without contact permission see pseudonyms).
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type ResultOf, type SchemaType } from '../../graphql';
import { daysFromNow, startOfDay } from '../../domain';
import { useI18n } from '../../i18n';
import { Loaded, Notice } from '../../ui/feedback';
import { Checkbox, Field, Form, Select, useAction, useFormValues, SearchForm } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';
import { ConfirmedBadge } from '../shared/ConfirmedBadge';
import { MEMBERS } from './AlliancePage';
import { InviteQr } from './InviteQr';
import { useMyMemberships } from './myAlliances';
import { ReferralForm } from './ReferralForm';

const CustomerFields = graphql(`
  fragment CustomerFields on Customer @_unmask { id pseudonym name phone address wechat tags consentSource createdAt claimedAt confirmed erased inviteCode inviteUrl }
`);

type Customer = ResultOf<typeof CustomerFields>;

const CUSTOMERS = graphql(
  `
  query MyCustomers($first: Int, $after: String, $search: String) {
    viewer { id merchant { id customers(first: $first, after: $after, search: $search) { totalCount edges { node { ...CustomerFields } } pageInfo { hasNextPage endCursor } } } }
  }
`,
  [CustomerFields],
);

const ADD_CUSTOMER = graphql(
  `
  mutation AddCustomer($input: AddCustomerInput!) {
    addCustomer(input: $input) { ...CustomerFields }
  }
`,
  [CustomerFields],
);

/** While people's disowned records are under review, the shop adds no customers. */
const RECORDS_PAUSED = graphql(`
  query RecordsPaused {
    viewer { id merchant { id recordsPaused } }
  }
`);

const PROPOSE = graphql(`
  mutation ProposeReferral($input: ProposeReferralInput!) {
    proposeReferral(input: $input) { id status }
  }
`);

const RECORD_PURCHASE = graphql(`
  mutation RecordPurchase($customerId: ID!, $amount: Int!, $at: DateTime) {
    recordPurchase(customerId: $customerId, amount: $amount, at: $at) { id }
  }
`);

const context = { additionalTypenames: ['Customer'] };
type ConsentSource = SchemaType<'ConsentSource'>;
const SOURCES: ConsentSource[] = ['IN_STORE', 'PHONE', 'ONLINE', 'IMPORT'];

export function CustomersPage() {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  return (
    <>
      <h1>{t('customers.title')}</h1>
      <p className="lead">{t('customers.intro')}</p>
      <section className="card">
        <h2>{t('customers.add')}</h2>
        <AddCustomer />
      </section>
      <section className="card">
        <h2>{t('customers.list')}</h2>
        <p className="hint">{t('customers.list.hint')}</p>
        <SearchForm label={t('customers.search')} onSearch={setSearch} />
        <Paged
          query={CUSTOMERS}
          variables={search ? { search } : {}}
          context={context}
          connection={(d) => d.viewer?.merchant?.customers}
          keyOf={(c) => c.id}
          empty={t(search ? 'customers.search.none' : 'customers.none')}
        >
          {(c) => <CustomerEntry customer={c} />}
        </Paged>
      </section>
    </>
  );
}

function AddCustomer() {
  const { t } = useI18n();
  const [source, setSource] = useState<ConsentSource>('IN_STORE');
  const imported = source === 'IMPORT';
  const today = daysFromNow(0);
  const form = useFormValues(
    { name: '', phone: '', address: '', wechat: '', consentCollectedAt: '', consentCollectedWhere: '' },
    {
      name: rules.name,
      phone: rules.phone,
      address: rules.optional(rules.text(200)),
      wechat: rules.optional(rules.text(60)),
      ...(imported ? { consentCollectedAt: rules.date, consentCollectedWhere: rules.text(200) } : {}),
    },
  );
  const collectedInFuture = imported && form.values.consentCollectedAt > today;
  const [{ data: paused }] = useQuery({ query: RECORDS_PAUSED });
  const [consent, setConsent] = useState(false);
  const [tried, setTried] = useState(false);
  const action = useAction(ADD_CUSTOMER);
  const [added, setAdded] = useState<Customer | null>(null);
  const submit = async () => {
    setTried(true);
    if (!form.validate() || !consent || collectedInFuture) return;
    const { name, phone, address, wechat, consentCollectedAt, consentCollectedWhere } = form.values;
    const data = await action.run({
      input: {
        name: name.trim(),
        phone: phone.replace(/[\s-]/g, ''),
        ...(address.trim() ? { address: address.trim() } : {}),
        ...(wechat.trim() ? { wechat: wechat.trim() } : {}),
        consentSource: source,
        ...(imported ? { consentCollectedAt: startOfDay(consentCollectedAt), consentCollectedWhere: consentCollectedWhere.trim() } : {}),
        consentGiven: true,
      },
    });
    if (data) {
      setAdded(data.addCustomer);
      form.reset();
      setConsent(false);
      setTried(false);
    }
  };
  if (paused?.viewer?.merchant?.recordsPaused) return <Notice kind="error">{t('customers.paused')}</Notice>;
  return (
    <>
      <Form
        action={action}
        onSubmit={() => void submit()}
        submitLabel={t('customers.add.submit')}
        pendingLabel={t('saving')}
        success={(d) => t('customers.added', { name: d.addCustomer.name ?? d.addCustomer.pseudonym })}
        wording={{ RATE_LIMITED: 'customers.rateLimited', FORBIDDEN: 'customers.paused' }}
      >
        <Field label={t('field.displayName')} autoComplete="off" {...form.field('name')} />
        <Field label={t('field.phone')} type="tel" inputMode="tel" autoComplete="off" {...form.field('phone')} />
        <Field label={t('field.address')} autoComplete="off" {...form.field('address')} />
        <Field label={t('field.wechat')} autoComplete="off" {...form.field('wechat')} />
        <Select label={t('customers.consentSource')} value={source} onChange={setSource} options={SOURCES.map((s) => ({ value: s, label: t(`consentSource.${s}`) }))} />
        {imported && (
          <>
            <p className="hint">{t('customers.import.hint')}</p>
            <Field
              label={t('field.consentCollectedAt')}
              type="date"
              max={today}
              {...form.field('consentCollectedAt')}
              problem={form.field('consentCollectedAt').problem ?? (collectedInFuture ? rules.futureProblem : undefined)}
            />
            <Field label={t('field.consentCollectedWhere')} hint={t('customers.consentCollectedWhere.hint')} autoComplete="off" {...form.field('consentCollectedWhere')} />
          </>
        )}
        <Checkbox label={t('customers.consent')} hint={t('customers.consent.hint')} checked={consent} onChange={setConsent} />
        {tried && !consent && <p className="problem">{t('customers.consent.required')}</p>}
      </Form>
      {added?.inviteUrl && <InviteQr url={added.inviteUrl} code={added.inviteCode} name={added.name ?? added.pseudonym} />}
    </>
  );
}

function CustomerEntry({ customer: c }: { customer: Customer }) {
  const { t, date } = useI18n();
  const [open, setOpen] = useState<'qr' | 'propose' | 'purchase' | null>(null);
  const toggle = (what: 'qr' | 'propose' | 'purchase') => setOpen(open === what ? null : what);
  const name = c.name ?? c.pseudonym;
  return (
    <article aria-label={name}>
      <p className="item-title">
        {name}
        {c.name && <span className="muted"> · {c.pseudonym}</span>}
        {!c.erased && (
          <>
            {' '}
            <ConfirmedBadge confirmed={c.confirmed} title={t(c.confirmed ? 'customers.confirmed.hint' : 'customers.unconfirmed.hint')} />
          </>
        )}
      </p>
      <p className="meta">
        {[c.phone, c.address, c.wechat].filter(Boolean).join(' · ')}
        {c.phone || c.address || c.wechat ? ' · ' : ''}
        {t(`consentSource.${c.consentSource}`)} · {date(c.createdAt)} · {c.erased ? t('customers.erased') : c.claimedAt ? t('customers.claimed') : t('customers.unclaimed')}
      </p>
      {!c.erased && (
        <div className="button-row">
          {c.inviteUrl && (
            <button type="button" className="button" aria-expanded={open === 'qr'} onClick={() => toggle('qr')}>
              {t('customers.qr.show')}
            </button>
          )}
          <button type="button" className="button" aria-expanded={open === 'propose'} onClick={() => toggle('propose')}>
            {t('referral.propose.open')}
          </button>
          <button type="button" className="button" aria-expanded={open === 'purchase'} onClick={() => toggle('purchase')}>
            {t('purchase.open')}
          </button>
        </div>
      )}
      {open === 'purchase' && <RecordPurchase customerId={c.id} />}
      {open === 'qr' && c.inviteUrl && <InviteQr url={c.inviteUrl} code={c.inviteCode} name={name} />}
      {open === 'propose' && <Propose customerId={c.id} />}
    </article>
  );
}

function Propose({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const mine = useMyMemberships();
  const [allianceId, setAllianceId] = useState('');
  return (
    <Loaded value={mine.alliances} error={mine.error} retry={mine.retry}>
      {(alliances) => {
        const chosen = allianceId || alliances[0]?.id;
        if (!chosen) return <p className="problem">{t('referral.propose.noPartners')}</p>;
        return (
          <div className="subform">
            {alliances.length > 1 && <Select label={t('referral.propose.alliance')} value={chosen} onChange={setAllianceId} options={alliances.map((a) => ({ value: a.id, label: a.name }))} />}
            <ProposeIn allianceId={chosen} customerId={customerId} />
          </div>
        );
      }}
    </Loaded>
  );
}

function ProposeIn({ allianceId, customerId }: { allianceId: string; customerId: string }) {
  const me = useViewer().merchant?.id;
  const [{ data, error }, reexecute] = useQuery({ query: MEMBERS, variables: { id: allianceId, first: 100 } });
  const action = useAction(PROPOSE);
  const partners = data?.alliance?.members.edges.map((e) => e.node).filter((m) => m.status === 'APPROVED' && m.merchant.id !== me).map((m) => m.merchant);
  return (
    <Loaded value={partners} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(partners) => (
        <ReferralForm
          key={allianceId}
          action={action}
          fields={['NAME', 'PHONE']}
          partners={partners}
          onSubmit={({ toMerchantId, ...input }) => action.run({ input: { ...input, customerId, toMerchantId: toMerchantId! } })}
        />
      )}
    </Loaded>
  );
}

/** A sale to this customer, for the RFM segments: typed in yuan, sent in fen; today means now. */
function RecordPurchase({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const today = daysFromNow(0);
  const form = useFormValues({ amount: '', date: today }, { amount: rules.yuan(0.01, 1_000_000), date: rules.date });
  const action = useAction(RECORD_PURCHASE);
  const future = form.values.date > today;
  const submit = async () => {
    if (!form.validate() || future) return;
    const { amount, date } = form.values;
    if (await action.run({ customerId, amount: rules.toFen(amount), ...(date === today ? {} : { at: startOfDay(date) }) })) form.reset();
  };
  return (
    <div className="subform">
      <Form action={action} onSubmit={() => void submit()} submitLabel={t('purchase.submit')} pendingLabel={t('saving')} success={() => t('purchase.done')}>
        <Field label={t('purchase.amount')} type="text" inputMode="decimal" {...form.field('amount')} />
        <Field label={t('purchase.date')} type="date" max={today} {...form.field('date')} problem={form.field('date').problem ?? (future ? rules.futureProblem : undefined)} />
      </Form>
    </div>
  );
}

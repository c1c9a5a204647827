// The customer's rights over their data: who may see it now (grants, revocable), who read it
// (the access log), and a copy (export), a correction or an erasure (PIPL Arts. 44-47).
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type Item, type NodeOf, type ResultOf, type VariablesOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { CodeSentFields, SendCode, useCodeRequests } from '../../ui/codes';
import { Loaded } from '../../ui/feedback';
import { ActionButton, ConfirmAction, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';

const GRANTS = graphql(`
  query MyGrants {
    viewer {
      id
      customer {
        id
        grants { fields grantedAt validUntil revokedAt merchant { id name category } referral { id status purpose } }
        merchants { id name }
      }
    }
  }
`);

type Grant = Item<NonNullable<NonNullable<ResultOf<typeof GRANTS>['viewer']>['customer']>['grants']>;

const ACCESS_LOG = graphql(`
  query MyAccessLog($first: Int, $after: String) {
    viewer { id customer { id accessLog(first: $first, after: $after) { edges { node { id at actor kind fields merchant { id name } } } pageInfo { hasNextPage endCursor } } } }
  }
`);

type Access = NodeOf<NonNullable<NonNullable<ResultOf<typeof ACCESS_LOG>['viewer']>['customer']>['accessLog']>;

const REVOKE = graphql(`
  mutation RevokeGrant($referralId: ID!) {
    revokeGrant(referralId: $referralId) { id status }
  }
`);

const EXPORT = graphql(`
  mutation ExportMyData {
    exportMyData
  }
`);

const CORRECT = graphql(`
  mutation CorrectMyData($input: CorrectMyDataInput!) {
    correctMyData(input: $input) { id displayName }
  }
`);

/** A new phone is where sign-in and future records go: a code sent to it proves the customer holds it. */
const SEND_CHANGE_PHONE_CODE = graphql(
  `
  mutation SendChangePhoneCode($phone: String!) {
    sent: sendPhoneCode(input: { purpose: CHANGE_PHONE, phone: $phone }) { ...CodeSentFields }
  }
`,
  [CodeSentFields],
);

/** Erasure at one shop (merchantId) or at every shop (null); shops that hold my number erase at one. */
export const ERASE = graphql(`
  mutation EraseMyData($merchantId: ID) {
    eraseMyData(merchantId: $merchantId) { id merchants { id name } grants { revokedAt referral { id status } } }
  }
`);

// Reading the access log is itself no read of personal information, so refreshing it is free.
const logContext = { additionalTypenames: ['AccessLogEntry'] };

export function MyDataPage() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: GRANTS });
  const customer = data?.viewer?.customer;
  return (
    <>
      <h1>{t('data.title')}</h1>
      <p className="lead">{t('data.intro')}</p>
      <section className="card">
        <h2>{t('grants.title')}</h2>
        <Loaded value={customer?.grants} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
          {(grants) =>
            grants.length ? (
              <ul className="items">
                {grants.map((g) => (
                  <li key={g.referral.id} className="item">
                    <GrantEntry grant={g} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('grants.none')}</p>
            )
          }
        </Loaded>
      </section>
      <section className="card">
        <h2>{t('accessLog.title')}</h2>
        <p className="hint">{t('accessLog.intro')}</p>
        <Paged query={ACCESS_LOG} context={logContext} connection={(d) => d.viewer?.customer?.accessLog} keyOf={(e) => e.id} empty={t('accessLog.none')}>
          {(entry) => <AccessEntry entry={entry} />}
        </Paged>
      </section>
      <section className="card">
        <h2>{t('export.title')}</h2>
        <p>{t('export.intro')}</p>
        <ExportButton />
      </section>
      <section className="card">
        <h2>{t('correct.title')}</h2>
        <p>{t('correct.intro')}</p>
        <CorrectForm />
      </section>
      <section className="card">
        <h2>{t('erase.title')}</h2>
        <p>{t('erase.intro')}</p>
        {customer && <Erase merchants={customer.merchants} />}
      </section>
    </>
  );
}

function GrantEntry({ grant }: { grant: Grant }) {
  const { t, dateTime, list } = useI18n();
  const revoke = useAction(REVOKE);
  const active = grant.referral.status === 'ACCEPTED' && !grant.revokedAt && Date.parse(grant.validUntil) > Date.now();
  return (
    <>
      <p className="item-title">{grant.merchant.name}</p>
      <p className="meta">
        {list(grant.fields.map((f) => t(`contactField.${f}`)))} · {grant.referral.purpose}
      </p>
      <p className="meta">
        {grant.revokedAt
          ? t('grants.revokedAt', { date: dateTime(grant.revokedAt) })
          : active
            ? t('grants.until', { date: dateTime(grant.validUntil) })
            : t(`referralStatus.${grant.referral.status}`)}
      </p>
      {active && (
        <ConfirmAction
          action={revoke}
          label={t('grants.revoke')}
          question={t('grants.revoke.question', { name: grant.merchant.name })}
          confirmLabel={t('grants.revoke.confirm')}
          pendingLabel={t('grants.revoking')}
          onConfirm={() => revoke.run({ referralId: grant.referral.id })}
        />
      )}
      {revoke.outcome && 'data' in revoke.outcome && <p className="notice success" role="status">{t('grants.revoked', { name: grant.merchant.name })}</p>}
    </>
  );
}

function AccessEntry({ entry }: { entry: Access }) {
  const { t, dateTime, list } = useI18n();
  return (
    <>
      <p className="item-title">{entry.merchant ? `${entry.merchant.name} · ${entry.actor}` : entry.actor}</p>
      <p className="meta">
        {dateTime(entry.at)} · {t(`accessKind.${entry.kind}`)} · {list(entry.fields.map((f) => t(`contactField.${f}`)))}
      </p>
    </>
  );
}

function ExportButton() {
  const { t } = useI18n();
  const action = useAction(EXPORT);
  const download = async () => {
    const data = await action.run({});
    if (!data) return;
    const url = URL.createObjectURL(new Blob([data.exportMyData], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `my-data-${new Date().toISOString().slice(0, 10)}.json`;
    link.click();
    URL.revokeObjectURL(url);
  };
  return <ActionButton action={action} label={t('export.submit')} pendingLabel={t('export.pending')} onClick={() => void download()} success={() => t('export.done')} />;
}

function CorrectForm() {
  const { t } = useI18n();
  const form = useFormValues(
    { name: '', phone: '', phoneCode: '', address: '', wechat: '' },
    {
      name: rules.optional(rules.name),
      phone: rules.optional(rules.phone),
      phoneCode: rules.whenFilled('phone', rules.oneTimeCode),
      address: rules.optional(rules.text(200)),
      wechat: rules.optional(rules.text(60)),
    },
  );
  const [empty, setEmpty] = useState(false);
  const action = useAction(CORRECT);
  const phone = form.values.phone.replace(/[\s-]/g, '');
  const codes = useCodeRequests(SEND_CHANGE_PHONE_CODE);
  const sendCode = () => {
    if (form.validate('phone')) void codes.send(phone, { phone });
  };
  const submit = async () => {
    const { phoneCode, ...details } = form.values;
    const input = Object.fromEntries(Object.entries(details).flatMap(([k, v]) => (v.trim() ? [[k, v.trim()]] : []))) as VariablesOf<typeof CORRECT>['input'];
    setEmpty(Object.keys(input).length === 0);
    if (!form.validate() || Object.keys(input).length === 0) return;
    if (await action.run({ input: input.phone ? { ...input, phone, phoneCode } : input })) form.reset();
  };
  return (
    <Form
      action={action}
      onSubmit={() => void submit()}
      submitLabel={t('correct.submit')}
      pendingLabel={t('saving')}
      success={() => t('correct.done')}
      wording={{ 'BAD_USER_INPUT:phoneCode': 'code.wrong', CONFLICT: 'correct.phoneTaken' }}
    >
      <Field label={t('field.displayName')} autoComplete="name" {...form.field('name')} />
      <Field label={t('field.phone')} type="tel" inputMode="tel" autoComplete="tel" hint={t('correct.phoneHint')} {...form.field('phone')} />
      {phone && (
        <SendCode
          requests={codes}
          target={phone}
          onSend={sendCode}
          sendLabel={t('code.sendSms')}
          sentNotice={t('correct.codeSent', { phone })}
          label={t('field.phoneCode')}
          field={form.field('phoneCode')}
        />
      )}
      <Field label={t('field.address')} autoComplete="street-address" {...form.field('address')} />
      <Field label={t('field.wechat')} {...form.field('wechat')} />
      {empty && <p className="problem">{t('correct.empty')}</p>}
    </Form>
  );
}

function Erase({ merchants }: { merchants: { id: string; name: string }[] }) {
  const { t } = useI18n();
  const [where, setWhere] = useState('ALL');
  const action = useAction(ERASE);
  const shop = merchants.find((m) => m.id === where);
  return (
    <>
      <Select label={t('erase.where')} value={where} onChange={setWhere} options={[{ value: 'ALL', label: t('erase.all') }, ...merchants.map((m) => ({ value: m.id, label: m.name }))]} />
      <ConfirmAction
        action={action}
        label={t('erase.submit')}
        question={shop ? t('erase.question.one', { name: shop.name }) : t('erase.question.all')}
        confirmLabel={t('erase.confirm')}
        pendingLabel={t('erase.pending')}
        onConfirm={() => action.run({ merchantId: shop ? shop.id : null })}
        success={() => t('erase.done')}
      />
    </>
  );
}

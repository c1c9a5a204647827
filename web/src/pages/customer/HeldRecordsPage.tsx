// Shops that hold my number: every record on the platform with the customer's verified phone,
// what it holds and where the shop says it came from. A record is only the shop's word until she
// confirms it; she may instead disown it (erased, and the shop reported to the alliance admins),
// or erase her data at that shop.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n, type MessageKey } from '../../i18n';
import { Loaded, Notice } from '../../ui/feedback';
import { ActionButton, ConfirmAction, useAction } from '../../ui/forms';
import { ConfirmedBadge } from '../shared/ConfirmedBadge';
import { ERASE } from './MyDataPage';

const HeldRecordFields = graphql(`
  fragment HeldRecordFields on HeldRecord @_unmask { id merchant { id name category city } fields source consentCollectedAt consentCollectedWhere createdAt confirmed }
`);

type HeldRecord = ResultOf<typeof HeldRecordFields>;

const HELD_RECORDS = graphql(
  `
  query HeldRecords {
    viewer { id customer { id heldRecords { ...HeldRecordFields } } }
  }
`,
  [HeldRecordFields],
);

const CONFIRM = graphql(
  `
  mutation ConfirmHeldRecord($id: ID!) {
    confirmHeldRecord(id: $id) { ...HeldRecordFields }
  }
`,
  [HeldRecordFields],
);

const DISOWN = graphql(`
  mutation DisownHeldRecord($id: ID!) {
    disownHeldRecord(id: $id)
  }
`);

export function HeldRecordsPage() {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: HELD_RECORDS });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  // A disowned or erased record leaves the list, so what was done is said above it (in the
  // current locale, not the one of the moment).
  const [done, setDone] = useState<Done | null>(null);
  const onDone = (message: Done) => {
    setDone(message);
    refresh();
  };
  return (
    <>
      <h1>{t('held.title')}</h1>
      <p className="lead">{t('held.intro')}</p>
      <section className="card">
        {done && <Notice kind="success">{t(done.key, { name: done.name })}</Notice>}
        <Loaded value={data?.viewer?.customer?.heldRecords} error={error} retry={refresh}>
          {(records) =>
            records.length ? (
              <ul className="items">
                {records.map((r) => (
                  <li key={r.id} className="item">
                    <HeldRecordEntry record={r} onDone={onDone} />
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('held.none')}</p>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

/** What was done to which shop's record. */
interface Done {
  key: MessageKey;
  name: string;
}

function HeldRecordEntry({ record: r, onDone }: { record: HeldRecord; onDone: (message: Done) => void }) {
  const { t, date, list } = useI18n();
  const confirm = useAction(CONFIRM);
  const disown = useAction(DISOWN);
  const erase = useAction(ERASE);
  const name = r.merchant.name;
  const after = (key: MessageKey) => (data: unknown) => {
    if (data) onDone({ key, name });
    return data;
  };
  return (
    <article aria-label={name}>
      <p className="item-title">
        {name} <ConfirmedBadge confirmed={r.confirmed} />
      </p>
      <p className="meta">
        {r.merchant.category} · {r.merchant.city} · {t('held.createdAt', { date: date(r.createdAt) })}
      </p>
      <p>{t('held.fields', { fields: list(r.fields.map((f) => t(`contactField.${f}`))) })}</p>
      <p>
        {t('held.source', { source: t(`consentSource.${r.source}`) })}
        {r.source === 'IMPORT' && (
          <>
            {' · '}
            {r.consentCollectedAt && r.consentCollectedWhere
              ? t('held.import', { date: date(r.consentCollectedAt), where: r.consentCollectedWhere })
              : t('held.import.undeclared')}
          </>
        )}
      </p>
      {!r.confirmed && (
        <div className="button-row">
          <ActionButton
            kind="primary"
            action={confirm}
            label={t('held.confirm')}
            pendingLabel={t('held.confirm.pending')}
            onClick={() => void confirm.run({ id: r.id }).then(after('held.confirm.done'))}
          />
          <ConfirmAction
            action={disown}
            label={t('held.disown')}
            question={t('held.disown.question', { name })}
            confirmLabel={t('held.disown.confirm')}
            pendingLabel={t('erase.pending')}
            onConfirm={() => disown.run({ id: r.id }).then(after('held.disown.done'))}
            wording={{ CONFLICT: 'held.disown.conflict' }}
          />
        </div>
      )}
      <ConfirmAction
        action={erase}
        label={t('held.erase')}
        question={t('erase.question.one', { name })}
        confirmLabel={t('erase.confirm')}
        pendingLabel={t('erase.pending')}
        onConfirm={() => erase.run({ merchantId: r.merchant.id }).then(after('held.erase.done'))}
      />
    </article>
  );
}

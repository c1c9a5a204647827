// Anti-harvesting alerts, as the flagged shop's owner and its alliances' admins read them: what
// raised each one (an account's many contact reads, or records people disowned) and, for those
// the viewer may clear, clearing it with a reason. The open ones by default, the cleared on demand.
import { useState } from 'react';
import { useQuery, type AnyVariables, type DocumentInput } from 'urql';
import { graphql, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { Loaded, Notice } from '../../ui/feedback';
import { Checkbox, ConfirmAction, useAction } from '../../ui/forms';

/** The alert fields this list shows, for documents to select. */
export const AlertFields = graphql(`
  fragment AlertFields on MerchantAlert @_unmask {
    id kind merchant { id name } staffName count windowStart updatedAt cleared clearedAt clearedReason
  }
`);

export type MerchantAlert = ResultOf<typeof AlertFields>;

const CLEAR = graphql(
  `
  mutation ClearMerchantAlert($id: ID!, $reason: String!) {
    clearMerchantAlert(id: $id, reason: $reason) { ...AlertFields }
  }
`,
  [AlertFields],
);

// Clearing one changes the list even when it then holds none.
const context = { additionalTypenames: ['MerchantAlert'] };

export function MerchantAlerts<Data>({
  query,
  variables,
  alerts,
  canClear,
}: {
  /** A document taking `$includeCleared: Boolean`. */
  query: DocumentInput<Data, AnyVariables>;
  variables?: Record<string, unknown>;
  alerts: (data: Data) => MerchantAlert[] | null | undefined;
  canClear: (alert: MerchantAlert) => boolean;
}) {
  const { t } = useI18n();
  const [includeCleared, setIncludeCleared] = useState(false);
  const [{ data, error }, reexecute] = useQuery({ query, variables: { ...variables, includeCleared }, context });
  // A cleared alert leaves the list of open ones, so what was done is said above it.
  const [done, setDone] = useState(false);
  return (
    <>
      {done && <Notice kind="success">{t('alert.clear.done')}</Notice>}
      <Loaded value={data && alerts(data)} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(list) =>
          list.length ? (
            <ul className="items">
              {list.map((a) => (
                <li key={a.id} className="item">
                  <AlertEntry alert={a} canClear={canClear(a)} onCleared={() => setDone(true)} />
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">{t('alerts.none')}</p>
          )
        }
      </Loaded>
      <Checkbox label={t('alerts.showCleared')} checked={includeCleared} onChange={setIncludeCleared} />
    </>
  );
}

function AlertEntry({ alert: a, canClear, onCleared }: { alert: MerchantAlert; canClear: boolean; onCleared: () => void }) {
  const { t, dateTime } = useI18n();
  const clear = useAction(CLEAR);
  const label = `${t(`alertKind.${a.kind}`)} · ${a.merchant.name}`;
  const [start, end] = [dateTime(a.windowStart), dateTime(a.updatedAt)];
  return (
    <article aria-label={label}>
      <p className="item-title">{label}</p>
      <p>
        {a.kind === 'STAFF_CONTACT_READS'
          ? t(start === end ? 'alert.STAFF_CONTACT_READS.at' : 'alert.STAFF_CONTACT_READS', { name: a.staffName ?? '', count: a.count, start, end })
          : t('alert.DISOWNED_RECORDS', { count: a.count, start })}
      </p>
      {a.cleared && a.clearedAt && <p className="meta">{t('alert.cleared', { date: dateTime(a.clearedAt), reason: a.clearedReason ?? '' })}</p>}
      {!a.cleared && !canClear && <p className="hint">{t('alert.clear.forbidden')}</p>}
      {!a.cleared && canClear && (
        <ConfirmAction
          kind="primary"
          action={clear}
          label={t('alert.clear')}
          question={t('alert.clear.question')}
          reasonLabel={t('alert.clear.reason')}
          confirmLabel={t('alert.clear')}
          pendingLabel={t('saving')}
          onConfirm={async (reason) => {
            const data = await clear.run({ id: a.id, reason });
            if (data) onCleared();
            return data;
          }}
          wording={{ FORBIDDEN: 'alert.clear.forbidden' }}
        />
      )}
    </article>
  );
}

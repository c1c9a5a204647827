// The customer's referral requests, each with the full disclosure (PIPL Art. 23): who asks and how
// to reach them, why, which details, for how long, under which privacy notice. Pending ones get
// big Accept (choosing the details) and Decline (optionally blocking the asker) buttons.
import { useState } from 'react';
import { graphql, type NodeOf, type ResultOf } from '../../graphql';
import { CONTACT_FIELDS, type ContactField } from '../../domain';
import { useI18n } from '../../i18n';
import { Notice } from '../../ui/feedback';
import { ActionOutcome, Checkbox, Checkboxes, Progress, useAction } from '../../ui/forms';
import { Paged } from '../../ui/paged';

// Seven levels deep at most (viewer › customer › referralRequests › edges › node › requester › name).
const REQUESTS = graphql(`
  query MyReferralRequests($first: Int, $after: String) {
    viewer {
      id
      customer {
        id
        referralRequests(first: $first, after: $after) {
          edges { node { id status purpose message requestedFields grantedFields retentionDays createdAt expiresAt requester { id name category publicContact } origin { id name } offer { id title } requesterNotice { version text } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

type Request = NodeOf<NonNullable<NonNullable<ResultOf<typeof REQUESTS>['viewer']>['customer']>['referralRequests']>;

const RESPOND = graphql(`
  mutation RespondToReferral($input: RespondToReferralInput!) {
    respondToReferral(input: $input) { id status grantedFields decidedAt }
  }
`);

const requestsContext = { additionalTypenames: ['ReferralRequest'] };

export function ReferralRequests() {
  const { t } = useI18n();
  return (
    <Paged
      query={REQUESTS}
      context={requestsContext}
      connection={(d) => d.viewer?.customer?.referralRequests}
      keyOf={(r) => r.id}
      empty={t('referral.none')}
      pageSize={10}
    >
      {(request) => <RequestCard request={request} />}
    </Paged>
  );
}

function RequestCard({ request }: { request: Request }) {
  const { t, dateTime, list } = useI18n();
  const fieldNames = (fields: ContactField[]) => list(fields.map((f) => t(`contactField.${f}`)));
  return (
    <article className={`referral ${request.status}`} aria-label={t('referral.from', { name: request.requester.name })}>
      <p className="eyebrow">
        <span className={`status ${request.status}`}>{t(`referralStatus.${request.status}`)}</span> · {dateTime(request.createdAt)}
      </p>
      <h3>{t('referral.from', { name: request.requester.name })}</h3>
      <dl className="facts disclosure">
        <dt>{t('referral.who')}</dt>
        <dd>
          {request.requester.name} · {request.requester.category}
          {request.requester.publicContact && <> · {request.requester.publicContact}</>}
        </dd>
        <dt>{t('referral.via')}</dt>
        <dd>{request.origin.name}</dd>
        {request.offer && (
          <>
            <dt>{t('referral.offer')}</dt>
            <dd>{request.offer.title}</dd>
          </>
        )}
        <dt>{t('referral.purpose')}</dt>
        <dd>{request.purpose}</dd>
        {request.message && (
          <>
            <dt>{t('referral.message')}</dt>
            <dd>{request.message}</dd>
          </>
        )}
        <dt>{t('referral.fields')}</dt>
        <dd>{fieldNames(request.requestedFields)}</dd>
        <dt>{t('referral.retention')}</dt>
        <dd>{t('referral.retention.days', { days: request.retentionDays })}</dd>
        {request.status === 'PENDING' && (
          <>
            <dt>{t('referral.expires')}</dt>
            <dd>{dateTime(request.expiresAt)}</dd>
          </>
        )}
        {request.status === 'ACCEPTED' && (
          <>
            <dt>{t('referral.granted')}</dt>
            <dd>{fieldNames(request.grantedFields)}</dd>
          </>
        )}
      </dl>
      <details className="requester-notice">
        <summary>{t('referral.notice', { name: request.requester.name })}</summary>
        {request.requesterNotice ? (
          <>
            <p className="hint">{t('referral.notice.version', { version: request.requesterNotice.version })}</p>
            <p className="notice-text">{request.requesterNotice.text}</p>
          </>
        ) : (
          <p>{t('referral.notice.none')}</p>
        )}
      </details>
      {request.status === 'PENDING' && <Respond request={request} />}
    </article>
  );
}

function Respond({ request }: { request: Request }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'choose' | 'accept' | 'decline'>('choose');
  // Everything asked for is ticked at first; the customer unticks what they keep to themselves.
  const [fields, setFields] = useState<ContactField[]>(request.requestedFields);
  const [block, setBlock] = useState(false);
  const [tried, setTried] = useState(false);
  const action = useAction(RESPOND);
  const options = CONTACT_FIELDS.filter((f) => request.requestedFields.includes(f)).map((f) => ({ value: f, label: t(`contactField.${f}`) }));
  const accept = () => {
    setTried(true);
    if (fields.length) void action.run({ input: { referralId: request.id, accept: true, fields } });
  };
  const decline = () => void action.run({ input: { referralId: request.id, accept: false, blockRequester: block } });
  return (
    <div className="respond">
      {mode === 'choose' && (
        <div className="big-buttons">
          <button type="button" className="button primary big" onClick={() => setMode('accept')}>
            {t('referral.accept')}
          </button>
          <button type="button" className="button big" onClick={() => setMode('decline')}>
            {t('referral.decline')}
          </button>
        </div>
      )}
      {mode === 'accept' && (
        <>
          <Checkboxes
            legend={t('referral.accept.which')}
            options={options}
            selected={fields}
            onChange={setFields}
            problem={tried && !fields.length ? t('referral.accept.none') : undefined}
          />
          <div className="big-buttons">
            <button type="button" className="button primary big" disabled={action.pending} onClick={accept}>
              <Progress pending={action.pending} label={t('referral.accept.confirm')} pendingLabel={t('saving')} />
            </button>
            <button type="button" className="button big" disabled={action.pending} onClick={() => setMode('choose')}>
              {t('cancel')}
            </button>
          </div>
        </>
      )}
      {mode === 'decline' && (
        <>
          <Checkbox label={t('referral.decline.block', { name: request.requester.name })} hint={t('referral.decline.blockHint')} checked={block} onChange={setBlock} />
          <div className="big-buttons">
            <button type="button" className="button danger big" disabled={action.pending} onClick={decline}>
              <Progress pending={action.pending} label={t('referral.decline.confirm')} pendingLabel={t('saving')} />
            </button>
            <button type="button" className="button big" disabled={action.pending} onClick={() => setMode('choose')}>
              {t('cancel')}
            </button>
          </div>
        </>
      )}
      <ActionOutcome outcome={action.outcome} wording={{ CONFLICT: 'referral.alreadyAnswered' }} />
      {mode === 'choose' && <Notice kind="info">{t('referral.youDecide')}</Notice>}
    </div>
  );
}

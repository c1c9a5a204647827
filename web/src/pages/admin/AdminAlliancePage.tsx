// Administering one alliance (/admin/alliance?id=…): applications, members (roles, suspension),
// communities (create, archive), the moderation queue and its log, the alerts about members whose
// records people disowned, and aggregate insights. Admins see merchants and offers, never a
// customer's personal information.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type NodeOf, type ResultOf } from '../../graphql';
import type { AllianceRole } from '../../domain';
import { useI18n } from '../../i18n';
import { useLocation } from '../../router';
import { Found } from '../../ui/feedback';
import { ActionButton, ConfirmAction, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';
import { AlertFields, MerchantAlerts } from '../shared/MerchantAlerts';
import { AllianceInsights } from './AllianceInsights';
import { ALLIANCE, COMMUNITIES, MemberFields, MEMBERS, communitiesContext, type Member } from '../merchant/AlliancePage';

const APPLICATIONS = graphql(
  `
  query PendingApplications($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id pendingApplications(first: $first, after: $after) { edges { node { ...MemberFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [MemberFields],
);

const QUEUE = graphql(`
  query ModerationQueue($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id moderationQueue(first: $first, after: $after) { edges { node { id createdAt reason status decidableByViewer offer { id title body status merchant { id name } } } } pageInfo { hasNextPage endCursor } } }
  }
`);

type Report = NodeOf<NonNullable<ResultOf<typeof QUEUE>['alliance']>['moderationQueue']>;

const HARVESTING_ALERTS = graphql(
  `
  query HarvestingAlerts($id: ID!, $includeCleared: Boolean) {
    alliance(id: $id) { id harvestingAlerts(includeCleared: $includeCleared) { ...AlertFields } }
  }
`,
  [AlertFields],
);

const LogEntryFields = graphql(`
  fragment LogEntryFields on ModerationAction @_unmask { id at actor kind reason merchant { id name } offer { id title } }
`);

type LogEntry = ResultOf<typeof LogEntryFields>;

const LOG = graphql(
  `
  query ModerationLog($id: ID!, $first: Int, $after: String) {
    alliance(id: $id) { id moderationLog(first: $first, after: $after) { edges { node { ...LogEntryFields } } pageInfo { hasNextPage endCursor } } }
  }
`,
  [LogEntryFields],
);

const DECIDE = graphql(
  `
  mutation DecideMembership($allianceId: ID!, $merchantId: ID!, $approve: Boolean!, $reason: String) {
    decideMembership(allianceId: $allianceId, merchantId: $merchantId, approve: $approve, reason: $reason) { ...MemberFields }
  }
`,
  [MemberFields],
);

const SET_ROLE = graphql(
  `
  mutation SetAllianceRole($allianceId: ID!, $merchantId: ID!, $role: AllianceRole!) {
    setAllianceRole(allianceId: $allianceId, merchantId: $merchantId, role: $role) { ...MemberFields }
  }
`,
  [MemberFields],
);

const SUSPEND = graphql(
  `
  mutation SuspendMerchant($allianceId: ID!, $merchantId: ID!, $suspend: Boolean!, $reason: String!) {
    suspendMerchant(allianceId: $allianceId, merchantId: $merchantId, suspend: $suspend, reason: $reason) { ...MemberFields }
  }
`,
  [MemberFields],
);

const CREATE_COMMUNITY = graphql(`
  mutation CreateCommunity($input: CreateCommunityInput!) {
    createCommunity(input: $input) { id name status }
  }
`);

const ARCHIVE = graphql(`
  mutation ArchiveCommunity($communityId: ID!, $reason: String!) {
    archiveCommunity(communityId: $communityId, reason: $reason) { id status }
  }
`);

const MODERATE = graphql(`
  mutation ModerateOffer($offerId: ID!, $hide: Boolean!, $reason: String!) {
    moderateOffer(offerId: $offerId, hide: $hide, reason: $reason) { id status }
  }
`);

const DISMISS = graphql(`
  mutation DismissReport($reportId: ID!, $reason: String!) {
    dismissReport(reportId: $reportId, reason: $reason) { id status }
  }
`);

// Lists that a decision elsewhere on the page changes, even while they are empty.
const membersContext = { additionalTypenames: ['AllianceMember'] };
const queueContext = { additionalTypenames: ['OfferReport', 'Offer'] };
const logContext = { additionalTypenames: ['ModerationAction', 'OfferReport', 'Offer', 'AllianceMember', 'Community'] };

export function AdminAlliancePage() {
  const { t } = useI18n();
  const id = useLocation().query.get('id') ?? '';
  const me = useViewer().merchant?.id;
  const [{ data, error }, reexecute] = useQuery({ query: ALLIANCE, variables: { id } });
  return (
    <Found data={data} pick={(d) => d.alliance} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(alliance) => (
          <>
            <p className="eyebrow">{t('admin.title')}</p>
            <h1>{alliance.name}</h1>
            <section className="card">
              <h2>{t('admin.applications')}</h2>
              <Paged query={APPLICATIONS} variables={{ id }} context={membersContext} connection={(d) => d.alliance?.pendingApplications} keyOf={(m) => m.merchant.id} empty={t('admin.applications.none')}>
                {(m) => <Application allianceId={id} member={m} />}
              </Paged>
            </section>
            <section className="card">
              <h2>{t('admin.queue')}</h2>
              <Paged query={QUEUE} variables={{ id }} context={queueContext} connection={(d) => d.alliance?.moderationQueue} keyOf={(r) => r.id} empty={t('admin.queue.none')}>
                {(r) => <ReportEntry report={r} />}
              </Paged>
            </section>
            <section className="card">
              <h2>{t('admin.alerts')}</h2>
              <p className="hint">{t('admin.alerts.intro')}</p>
              <MerchantAlerts query={HARVESTING_ALERTS} variables={{ id }} alerts={(d) => d.alliance?.harvestingAlerts} canClear={(a) => a.merchant.id !== me} />
            </section>
            <section className="card">
              <h2>{t('alliance.members')}</h2>
              <Paged query={MEMBERS} variables={{ id }} context={membersContext} connection={(d) => d.alliance?.members} keyOf={(m) => m.merchant.id} empty={t('alliance.members.none')}>
                {(m) => <MemberEntry allianceId={id} member={m} viewerIsOwner={alliance.viewerRole === 'OWNER'} />}
              </Paged>
            </section>
            <section className="card">
              <h2>{t('alliance.communities')}</h2>
              <Paged query={COMMUNITIES} variables={{ id }} context={communitiesContext} connection={(d) => d.alliance?.communities} keyOf={(c) => c.id} empty={t('alliance.communities.none')}>
                {(c) => (
                  <>
                    <p className="item-title">{c.name}</p>
                    <p className="meta">
                      {t('community.counts', { merchants: c.merchantCount, customers: c.customerCount })}
                      {c.status === 'ARCHIVED' && <> · {t('community.archived.short')}</>}
                    </p>
                    {c.status === 'OPEN' && <ArchiveCommunity communityId={c.id} />}
                  </>
                )}
              </Paged>
              <h3>{t('admin.community.create')}</h3>
              <CreateCommunity allianceId={id} />
            </section>
            <section className="card">
              <h2>{t('insights.title')}</h2>
              <AllianceInsights allianceId={id} />
            </section>
            <section className="card">
              <h2>{t('admin.log')}</h2>
              <Paged query={LOG} variables={{ id }} context={logContext} connection={(d) => d.alliance?.moderationLog} keyOf={(e) => e.id} empty={t('admin.log.none')}>
                {(e) => <LogEntryView entry={e} />}
              </Paged>
            </section>
          </>
      )}
    </Found>
  );
}

function Application({ allianceId, member: m }: { allianceId: string; member: Member }) {
  const { t, dateTime } = useI18n();
  const approve = useAction(DECIDE);
  const reject = useAction(DECIDE);
  const merchantId = m.merchant.id;
  return (
    <article aria-label={m.merchant.name}>
      <p className="item-title">{m.merchant.name}</p>
      <p className="meta">
        {m.merchant.category} · {m.merchant.city} · {t('admin.appliedAt', { date: dateTime(m.appliedAt) })}
      </p>
      {m.message && <p>{m.message}</p>}
      <div className="button-row">
        <ActionButton kind="primary" action={approve} label={t('admin.approve')} pendingLabel={t('saving')} onClick={() => void approve.run({ allianceId, merchantId, approve: true })} />
        <ConfirmAction
          action={reject}
          label={t('admin.reject')}
          question={t('admin.reject.question', { name: m.merchant.name })}
          reasonLabel={t('admin.reason')}
          confirmLabel={t('admin.reject')}
          pendingLabel={t('saving')}
          onConfirm={(reason) => reject.run({ allianceId, merchantId, approve: false, reason })}
        />
      </div>
    </article>
  );
}

function MemberEntry({ allianceId, member: m, viewerIsOwner }: { allianceId: string; member: Member; viewerIsOwner: boolean }) {
  const { t } = useI18n();
  const [role, setRole] = useState<AllianceRole>(m.role);
  const setRoleAction = useAction(SET_ROLE);
  const suspend = useAction(SUSPEND);
  const merchantId = m.merchant.id;
  const suspended = m.status === 'SUSPENDED';
  return (
    <article aria-label={m.merchant.name}>
      <p className="item-title">{m.merchant.name}</p>
      <p className="meta">
        {m.merchant.category} · {t(`allianceRole.${m.role}`)} · {t(`membershipStatus.${m.status}`)}
      </p>
      {viewerIsOwner && m.role !== 'OWNER' && m.status === 'APPROVED' && (
        <div className="row">
          <Select label={t('admin.role')} value={role} onChange={setRole} options={(['MEMBER', 'ADMIN', 'OWNER'] as const).map((r) => ({ value: r, label: t(`allianceRole.${r}`) }))} />
          <ActionButton
            action={setRoleAction}
            label={t('admin.role.save')}
            pendingLabel={t('saving')}
            onClick={() => void setRoleAction.run({ allianceId, merchantId, role })}
            success={() => t('admin.role.saved')}
          />
        </div>
      )}
      {m.role !== 'OWNER' && (
        <ConfirmAction
          action={suspend}
          label={t(suspended ? 'admin.reinstate' : 'admin.suspend')}
          question={t(suspended ? 'admin.reinstate.question' : 'admin.suspend.question', { name: m.merchant.name })}
          reasonLabel={t('admin.reason')}
          confirmLabel={t(suspended ? 'admin.reinstate' : 'admin.suspend')}
          pendingLabel={t('saving')}
          onConfirm={(reason) => suspend.run({ allianceId, merchantId, suspend: !suspended, reason })}
        />
      )}
    </article>
  );
}

function ReportEntry({ report: r }: { report: Report }) {
  const { t, dateTime } = useI18n();
  const moderate = useAction(MODERATE);
  const dismiss = useAction(DISMISS);
  const hidden = r.offer.status === 'HIDDEN';
  return (
    <article aria-label={r.offer.title}>
      <p className="item-title">
        {r.offer.title} · <span className={`status ${r.offer.status}`}>{t(`offerStatus.${r.offer.status}`)}</span>
      </p>
      <p className="meta">
        {r.offer.merchant.name} · {t('admin.reportedAt', { date: dateTime(r.createdAt) })}
      </p>
      <p>{t('admin.reportReason', { reason: r.reason })}</p>
      {r.offer.body && <p className="body">{r.offer.body}</p>}
      {r.decidableByViewer ? (
        <div className="button-row">
          <ConfirmAction
            action={moderate}
            label={t(hidden ? 'admin.restore' : 'admin.hide')}
            question={t(hidden ? 'admin.restore.question' : 'admin.hide.question')}
            reasonLabel={t('admin.reason')}
            confirmLabel={t(hidden ? 'admin.restore' : 'admin.hide')}
            pendingLabel={t('saving')}
            onConfirm={(reason) => moderate.run({ offerId: r.offer.id, hide: !hidden, reason })}
            success={(d) => t(d.moderateOffer.status === 'HIDDEN' ? 'admin.hidden' : 'admin.restored')}
          />
          <ConfirmAction
            kind="primary"
            action={dismiss}
            label={t('admin.dismiss')}
            question={t('admin.dismiss.question')}
            reasonLabel={t('admin.reason')}
            confirmLabel={t('admin.dismiss')}
            pendingLabel={t('saving')}
            onConfirm={(reason) => dismiss.run({ reportId: r.id, reason })}
          />
        </div>
      ) : (
        <p className="hint">{t('admin.ownOffer')}</p>
      )}
    </article>
  );
}

function ArchiveCommunity({ communityId }: { communityId: string }) {
  const { t } = useI18n();
  const action = useAction(ARCHIVE);
  return (
    <ConfirmAction
      action={action}
      label={t('admin.archive')}
      question={t('admin.archive.question')}
      reasonLabel={t('admin.reason')}
      confirmLabel={t('admin.archive')}
      pendingLabel={t('saving')}
      onConfirm={(reason) => action.run({ communityId, reason })}
    />
  );
}

function CreateCommunity({ allianceId }: { allianceId: string }) {
  const { t } = useI18n();
  const form = useFormValues(
    { name: '', description: '', rules: '', postLimitPerDay: '5' },
    { name: rules.name, description: rules.optional(rules.text(2000)), rules: rules.optional(rules.text(4000)), postLimitPerDay: rules.int(1, 100) },
  );
  const action = useAction(CREATE_COMMUNITY);
  const submit = async () => {
    if (!form.validate()) return;
    const v = form.values;
    const input = { allianceId, name: v.name.trim(), description: v.description.trim(), rules: v.rules.trim(), postLimitPerDay: Number(v.postLimitPerDay) };
    if (await action.run({ input })) form.reset();
  };
  return (
    <Form action={action} onSubmit={() => void submit()} submitLabel={t('admin.community.submit')} pendingLabel={t('saving')} success={(d) => t('admin.community.created', { name: d.createCommunity.name })}>
      <Field label={t('admin.community.name')} {...form.field('name')} />
      <Field label={t('admin.community.description')} multiline rows={2} {...form.field('description')} />
      <Field label={t('admin.community.rules')} multiline rows={3} {...form.field('rules')} />
      <Field label={t('community.postLimit')} type="number" inputMode="numeric" min={1} max={100} {...form.field('postLimitPerDay')} />
    </Form>
  );
}

function LogEntryView({ entry: e }: { entry: LogEntry }) {
  const { t, dateTime } = useI18n();
  const subject = e.offer?.title ?? e.merchant?.name;
  return (
    <>
      <p className="item-title">
        {t(`moderationKind.${e.kind}`)}
        {subject && <> · {subject}</>}
      </p>
      <p className="meta">
        {e.actor} · {dateTime(e.at)}
      </p>
      {e.reason && <p>{t('admin.reportReason', { reason: e.reason })}</p>}
    </>
  );
}

// Alliances: the ones this merchant is in, founding a new one, and the directory to apply to.
import { useState } from 'react';
import { graphql, type Item, type ResultOf } from '../../graphql';
import { useI18n } from '../../i18n';
import { Link, navigate } from '../../router';
import { Loaded } from '../../ui/feedback';
import { ConfirmAction, Field, Form, useAction, useFormValues, SearchForm } from '../../ui/forms';
import { Paged } from '../../ui/paged';
import * as rules from '../../validate';
import { isOwner, useViewer } from '../../viewer';
import { useMyMemberships } from './myAlliances';

const DIRECTORY = graphql(`
  query AllianceDirectory($first: Int, $after: String, $search: String) {
    alliances(first: $first, after: $after, search: $search) { edges { node { id name city description viewerRole } } pageInfo { hasNextPage endCursor } }
  }
`);

type Alliance = Item<NonNullable<ResultOf<typeof DIRECTORY>['alliances']>['edges']>['node'];

const CREATE = graphql(`
  mutation CreateAlliance($input: CreateAllianceInput!) {
    createAlliance(input: $input) { id name city description viewerRole }
  }
`);

const APPLY = graphql(`
  mutation ApplyToAlliance($allianceId: ID!, $message: String) {
    applyToAlliance(allianceId: $allianceId, message: $message) { status appliedAt alliance { id viewerRole } }
  }
`);

export const allianceLink = (id: string) => `/merchant/alliance?id=${encodeURIComponent(id)}`;

export function AlliancesPage() {
  const { t } = useI18n();
  const owner = isOwner(useViewer());
  const mine = useMyMemberships();
  const [search, setSearch] = useState('');
  return (
    <>
      <h1>{t('alliances.title')}</h1>
      <p className="lead">{t('alliances.intro')}</p>
      <section className="card">
        <h2>{t('alliances.mine')}</h2>
        <Loaded value={mine.memberships} error={mine.error} retry={mine.retry}>
          {(memberships) =>
            memberships.length ? (
              <ul className="items">
                {memberships.map(({ alliance: a, role, status }) => (
                  <li key={a.id} className="item">
                    {status === 'APPROVED' ? (
                      <Link to={allianceLink(a.id)} className="item-title">
                        {a.name}
                      </Link>
                    ) : (
                      <p className="item-title">{a.name}</p>
                    )}
                    <p className="meta">
                      {a.city} · {t(`allianceRole.${role}`)}
                      {status !== 'APPROVED' && <> · {t(`membershipStatus.${status}`)}</>}
                    </p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('alliances.mine.none')}</p>
            )
          }
        </Loaded>
      </section>
      {owner && (
        <section className="card">
          <h2>{t('alliances.create')}</h2>
          <CreateAlliance />
        </section>
      )}
      <section className="card">
        <h2>{t('alliances.directory')}</h2>
        <SearchForm label={t('alliances.search')} onSearch={setSearch} />
        <Paged query={DIRECTORY} variables={search ? { search } : {}} connection={(d) => d.alliances} keyOf={(a) => a.id} empty={t('alliances.directory.none')}>
          {(a) => <DirectoryEntry alliance={a} canApply={owner} />}
        </Paged>
      </section>
    </>
  );
}

function CreateAlliance() {
  const { t } = useI18n();
  const form = useFormValues({ name: '', city: useViewer().merchant?.city ?? '', description: '' }, { name: rules.name, city: rules.text(60), description: rules.optional(rules.text(2000)) });
  const action = useAction(CREATE);
  const submit = async () => {
    if (!form.validate()) return;
    const { name, city, description } = form.values;
    const data = await action.run({ input: { name: name.trim(), city: city.trim(), description: description.trim() } });
    if (data) navigate(allianceLink(data.createAlliance.id));
  };
  return (
    <Form action={action} onSubmit={() => void submit()} submitLabel={t('alliances.create.submit')} pendingLabel={t('saving')}>
      <Field label={t('alliances.field.name')} {...form.field('name')} />
      <Field label={t('field.city')} {...form.field('city')} />
      <Field label={t('alliances.field.description')} multiline rows={3} {...form.field('description')} />
    </Form>
  );
}

function DirectoryEntry({ alliance, canApply }: { alliance: Alliance; canApply: boolean }) {
  const { t } = useI18n();
  const action = useAction(APPLY);
  return (
    <>
      {alliance.viewerRole ? (
        <Link to={allianceLink(alliance.id)} className="item-title">
          {alliance.name}
        </Link>
      ) : (
        <p className="item-title">{alliance.name}</p>
      )}
      <p className="meta">
        {alliance.city}
        {alliance.viewerRole && <> · {t(`allianceRole.${alliance.viewerRole}`)}</>}
      </p>
      {alliance.description && <p>{alliance.description}</p>}
      {!alliance.viewerRole && canApply && (
        <ConfirmAction
          kind="primary"
          action={action}
          label={t('alliances.apply')}
          question={t('alliances.apply.question', { name: alliance.name })}
          reasonLabel={t('alliances.apply.message')}
          reasonOptional
          confirmLabel={t('alliances.apply.submit')}
          pendingLabel={t('saving')}
          onConfirm={(message) => action.run({ allianceId: alliance.id, message: message || null })}
          success={() => t('alliances.applied')}
          wording={{ CONFLICT: 'alliances.apply.already' }}
        />
      )}
    </>
  );
}

// The owner's staff page: alerts about this shop (an account revealing many customers' contacts,
// records people disowned), each account's reads of customers' contacts, and adding staff
// accounts, deciding whether each may read customers' contact details.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Loaded } from '../../ui/feedback';
import { Figures } from '../../ui/Figures';
import { Checkbox, Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { AlertFields, MerchantAlerts } from '../shared/MerchantAlerts';

const ADD_STAFF = graphql(`
  mutation AddStaff($input: AddStaffInput!) {
    addStaff(input: $input) { id displayName canViewContacts }
  }
`);

const MY_ALERTS = graphql(
  `
  query MyMerchantAlerts($includeCleared: Boolean) {
    viewer { id merchant { id alerts(includeCleared: $includeCleared) { ...AlertFields } } }
  }
`,
  [AlertFields],
);

const STAFF_READS = graphql(`
  query StaffContactReads {
    viewer { id merchant { id staffContactReads { staffName role customersLastHour customersLast24Hours readsLast7Days lastReadAt } } }
  }
`);

export function StaffPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('nav.staff')}</h1>
      <p className="lead">{t('staff.intro')}</p>
      <section className="card">
        <h2>{t('alerts.title')}</h2>
        <p className="hint">{t('alerts.intro')}</p>
        {/* Records people disowned are cleared by the alliance's admins, not by the shop. */}
        <MerchantAlerts query={MY_ALERTS} alerts={(d) => d.viewer?.merchant?.alerts} canClear={(a) => a.kind === 'STAFF_CONTACT_READS'} />
      </section>
      <section className="card">
        <h2>{t('staffReads.title')}</h2>
        <p className="hint">{t('staffReads.intro')}</p>
        <StaffReads />
      </section>
      <section className="card">
        <h2>{t('staff.title')}</h2>
        <AddStaff />
      </section>
    </>
  );
}

function StaffReads() {
  const { t, dateTime } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: STAFF_READS });
  return (
    <Loaded value={data?.viewer?.merchant?.staffContactReads} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(rows) =>
        rows.length ? (
          <Figures
            label={t('staffReads.table')}
            columns={[
              { label: t('staffReads.staff') },
              { label: t('staffReads.lastHour'), numeric: true },
              { label: t('staffReads.last24Hours'), numeric: true },
              { label: t('staffReads.last7Days'), numeric: true },
              { label: t('staffReads.lastReadAt') },
            ]}
            rows={rows.map((r, i) => ({
              key: String(i),
              cells: [
                t('staffReads.who', { name: r.staffName, role: t(`staffRole.${r.role}`) }),
                r.customersLastHour,
                r.customersLast24Hours,
                r.readsLast7Days,
                r.lastReadAt ? dateTime(r.lastReadAt) : t('staffReads.never'),
              ],
            }))}
          />
        ) : (
          <p className="empty">{t('staffReads.none')}</p>
        )
      }
    </Loaded>
  );
}

function AddStaff() {
  const { t } = useI18n();
  const form = useFormValues({ displayName: '', email: '', password: '' }, { displayName: rules.name, email: rules.email, password: rules.password });
  // Least privilege by default: contact details only when the owner decides so.
  const [canViewContacts, setCanViewContacts] = useState(false);
  const action = useAction(ADD_STAFF);
  const submit = async () => {
    if (!form.validate()) return;
    const { displayName, email, password } = form.values;
    const data = await action.run({ input: { displayName: displayName.trim(), email: email.trim(), password, canViewContacts } });
    if (data) {
      form.reset();
      setCanViewContacts(false);
    }
  };
  return (
    <Form
      action={action}
      onSubmit={submit}
      submitLabel={t('staff.submit')}
      pendingLabel={t('staff.pending')}
      wording={{ CONFLICT: 'error.emailTaken' }}
      success={({ addStaff: staff }) => t(staff.canViewContacts ? 'staff.added.contacts' : 'staff.added', { name: staff.displayName })}
    >
      <Field label={t('field.displayName')} autoComplete="off" {...form.field('displayName')} />
      <Field label={t('field.email')} type="email" autoComplete="off" {...form.field('email')} />
      <Field label={t('field.password')} type="password" autoComplete="new-password" hint={t('validate.password')} {...form.field('password')} />
      <Checkbox label={t('field.canViewContacts')} hint={t('staff.contactsHint')} checked={canViewContacts} onChange={setCanViewContacts} />
    </Form>
  );
}

// Owners add staff accounts, deciding whether each may read customers' contact details.
import { useState } from 'react';
import { gql } from 'urql';
import { useI18n } from '../../i18n';
import { Checkbox, Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';

const ADD_STAFF = gql<
  { addStaff: { id: string; displayName: string; canViewContacts: boolean } },
  { input: { email: string; password: string; displayName: string; canViewContacts: boolean } }
>`
  mutation AddStaff($input: AddStaffInput!) {
    addStaff(input: $input) { id displayName canViewContacts }
  }
`;

export function StaffPage() {
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
    <>
      <h1>{t('staff.title')}</h1>
      <p className="lead">{t('staff.intro')}</p>
      <section className="card">
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
      </section>
    </>
  );
}

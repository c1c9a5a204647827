// A customer claims the account a merchant invited them to (/claim?code=...), choosing a password.
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { saveSession } from '../../session';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { CLAIM_CUSTOMER_INVITE } from './mutations';

export function ClaimPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const form = useFormValues({ code: query.get('code') ?? '', password: '' }, { code: rules.text(20), password: rules.password });
  const action = useAction(CLAIM_CUSTOMER_INVITE);
  const submit = async () => {
    if (!form.validate()) return;
    const data = await action.run({ input: { code: form.values.code.trim(), password: form.values.password } });
    if (data) {
      saveSession(data.claimCustomerInvite);
      // The claim page also opens for a signed-in customer; either way the account's home follows.
      navigate('/', { replace: true });
    }
  };
  return (
    <section className="card narrow">
      <h1>{t('auth.claim.title')}</h1>
      <p className="lead">{t('auth.claim.intro')}</p>
      <Form
        action={action}
        onSubmit={submit}
        submitLabel={t('auth.claim.submit')}
        pendingLabel={t('auth.claim.pending')}
        wording={{ NOT_FOUND: 'auth.claim.invalidCode', CONFLICT: 'auth.claim.used', UNAUTHENTICATED: 'auth.claim.existingAccount' }}
      >
        <Field label={t('field.code')} autoComplete="one-time-code" spellCheck={false} {...form.field('code')} />
        <Field label={t('field.newPassword')} type="password" autoComplete="new-password" {...form.field('password')} />
      </Form>
      <ul className="links">
        <li><Link to="/customer/signin">{t('auth.customerSignIn.title')}</Link></li>
      </ul>
    </section>
  );
}

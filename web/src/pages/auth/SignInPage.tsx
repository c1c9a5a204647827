// Sign-in for merchants (by email) and customers (by mobile number): one signIn mutation.
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { saveSession } from '../../session';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { SIGN_IN } from './mutations';

export function SignInPage({ audience }: { audience: 'merchant' | 'customer' }) {
  const { t } = useI18n();
  const merchant = audience === 'merchant';
  const form = useFormValues({ login: '', password: '' }, { login: merchant ? rules.email : rules.phone, password: rules.required });
  const action = useAction(SIGN_IN);
  const submit = async () => {
    if (!form.validate()) return;
    const login = merchant ? form.values.login.trim() : form.values.login.replace(/[\s-]/g, '');
    const data = await action.run({ input: { login, password: form.values.password } });
    if (data) saveSession(data.signIn);
  };
  return (
    <section className="card narrow">
      <h1>{t(merchant ? 'auth.merchantSignIn.title' : 'auth.customerSignIn.title')}</h1>
      <p className="lead">{t(merchant ? 'auth.merchantSignIn.intro' : 'auth.customerSignIn.intro')}</p>
      <Form
        action={action}
        onSubmit={submit}
        submitLabel={t('auth.signIn.submit')}
        pendingLabel={t('auth.signIn.pending')}
        wording={{ UNAUTHENTICATED: 'error.wrongLogin' }}
      >
        {merchant ? (
          <Field label={t('field.email')} type="email" autoComplete="username" {...form.field('login')} />
        ) : (
          <Field label={t('field.phone')} type="tel" inputMode="tel" autoComplete="username" {...form.field('login')} />
        )}
        <Field label={t('field.password')} type="password" autoComplete="current-password" {...form.field('password')} />
      </Form>
      <ul className="links">
        {merchant ? (
          <>
            <li><Link to="/signup">{t('auth.toSignUp')}</Link></li>
            <li><Link to="/customer/signin">{t('auth.toCustomer')}</Link></li>
          </>
        ) : (
          <>
            <li><Link to="/claim">{t('auth.toClaim')}</Link></li>
            <li><Link to="/signin">{t('auth.toMerchant')}</Link></li>
          </>
        )}
      </ul>
    </section>
  );
}

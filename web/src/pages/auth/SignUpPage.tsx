// A merchant registers its business and becomes its owner.
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { saveSession } from '../../session';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { SIGN_UP_MERCHANT } from './mutations';

export function SignUpPage() {
  const { t } = useI18n();
  const form = useFormValues(
    { merchantName: '', category: '', city: '', displayName: '', email: '', password: '' },
    {
      merchantName: rules.name,
      category: rules.text(40),
      city: rules.text(60),
      displayName: rules.name,
      email: rules.email,
      password: rules.password,
    },
  );
  const action = useAction(SIGN_UP_MERCHANT);
  const submit = async () => {
    if (!form.validate()) return;
    const { password, ...rest } = form.values;
    const trimmed = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.trim()])) as typeof rest;
    const data = await action.run({ input: { ...trimmed, password } });
    if (data) saveSession(data.signUpMerchant);
  };
  return (
    <section className="card narrow">
      <h1>{t('auth.signUp.title')}</h1>
      <p className="lead">{t('auth.signUp.intro')}</p>
      <Form
        action={action}
        onSubmit={submit}
        submitLabel={t('auth.signUp.submit')}
        pendingLabel={t('auth.signUp.pending')}
        wording={{ CONFLICT: 'error.emailTaken' }}
      >
        <Field label={t('field.merchantName')} autoComplete="organization" {...form.field('merchantName')} />
        <Field label={t('field.category')} placeholder={t('field.category.placeholder')} {...form.field('category')} />
        <Field label={t('field.city')} autoComplete="address-level2" {...form.field('city')} />
        <Field label={t('field.displayName')} autoComplete="name" {...form.field('displayName')} />
        <Field label={t('field.email')} type="email" autoComplete="email" {...form.field('email')} />
        <Field label={t('field.password')} type="password" autoComplete="new-password" hint={t('validate.password')} {...form.field('password')} />
      </Form>
      <ul className="links">
        <li><Link to="/signin">{t('auth.toSignIn')}</Link></li>
      </ul>
    </section>
  );
}

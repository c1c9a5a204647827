// A merchant registers its business and becomes its owner, with a code emailed to prove the address.
import { useI18n } from '../../i18n';
import { Link } from '../../router';
import { saveSession } from '../../session';
import { SendCode, useCodeRequests } from '../../ui/codes';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { SEND_SIGN_UP_CODE, SIGN_UP_MERCHANT } from './mutations';

export function SignUpPage() {
  const { t } = useI18n();
  const form = useFormValues(
    { merchantName: '', category: '', city: '', displayName: '', password: '', email: '', emailCode: '' },
    {
      merchantName: rules.name,
      category: rules.text(40),
      city: rules.text(60),
      displayName: rules.name,
      password: rules.password,
      email: rules.email,
      emailCode: rules.oneTimeCode,
    },
  );
  const email = form.values.email.trim().toLowerCase();
  const codes = useCodeRequests(SEND_SIGN_UP_CODE);
  const action = useAction(SIGN_UP_MERCHANT);
  const sendCode = () => {
    if (form.validate('email')) void codes.send(email, { email });
  };
  const submit = async () => {
    if (!form.validate()) return;
    const { password, ...rest } = form.values;
    const trimmed = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.trim()])) as typeof rest;
    const data = await action.run({ input: { ...trimmed, email, password } });
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
        // A sign-up racing another for the same code is refused as a used code.
        wording={{ 'BAD_USER_INPUT:emailCode': 'code.wrong', CONFLICT: 'code.wrong' }}
      >
        <Field label={t('field.merchantName')} autoComplete="organization" {...form.field('merchantName')} />
        <Field label={t('field.category')} placeholder={t('field.category.placeholder')} {...form.field('category')} />
        <Field label={t('field.city')} autoComplete="address-level2" {...form.field('city')} />
        <Field label={t('field.displayName')} autoComplete="name" {...form.field('displayName')} />
        <Field label={t('field.password')} type="password" autoComplete="new-password" hint={t('validate.password')} {...form.field('password')} />
        <Field label={t('field.email')} type="email" autoComplete="email" {...form.field('email')} />
        <SendCode
          requests={codes}
          target={email}
          onSend={sendCode}
          sendLabel={t('code.sendEmail')}
          sentNotice={t('auth.signUp.codeSent', { email })}
          label={t('field.emailCode')}
          field={form.field('emailCode')}
        />
      </Form>
      <ul className="links">
        <li><Link to="/signin">{t('auth.toSignIn')}</Link></li>
      </ul>
    </section>
  );
}

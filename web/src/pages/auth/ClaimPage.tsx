// A customer claims the account a merchant invited them to (/claim?code=...). The invite alone
// proves nothing (the shop has it too): first a code goes by SMS to the phone on the shop's
// record, and whoever types it in chooses the password.
import { useI18n } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { saveSession } from '../../session';
import { SendCode, useCodeRequests } from '../../ui/codes';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { CLAIM_CUSTOMER_INVITE, SEND_CLAIM_CODE } from './mutations';

export function ClaimPage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const form = useFormValues(
    { code: query.get('code') ?? '', phoneCode: '', password: '' },
    { code: rules.text(20), phoneCode: rules.oneTimeCode, password: rules.password },
  );
  const invite = form.values.code.trim().toUpperCase();
  const codes = useCodeRequests(SEND_CLAIM_CODE);
  const action = useAction(CLAIM_CUSTOMER_INVITE);
  const sendCode = () => {
    if (form.validate('code')) void codes.send(invite, { inviteCode: invite });
  };
  const claim = async () => {
    if (!form.validate()) return;
    const data = await action.run({ input: { code: invite, phoneCode: form.values.phoneCode, password: form.values.password } });
    if (data) {
      saveSession(data.claimCustomerInvite);
      // The claim page also opens for a signed-in customer; either way the account's home follows.
      navigate('/', { replace: true });
    }
  };
  // Two steps in one form, so the invite field keeps its focus: until a code went to this invite's
  // phone, sending one is the form's action; then the code and a password claim the account.
  const sent = codes.isSentTo(invite);
  const submit = sent ? { submitLabel: t('auth.claim.submit'), pendingLabel: t('auth.claim.pending') } : {};
  return (
    <section className="card narrow">
      <h1>{t('auth.claim.title')}</h1>
      <p className="lead">{t('auth.claim.intro')}</p>
      <Form
        action={action}
        onSubmit={sent ? () => void claim() : sendCode}
        {...submit}
        wording={{ UNAUTHENTICATED: 'auth.claim.refused', 'UNAUTHENTICATED:password': 'auth.claim.existingAccount', CONFLICT: 'auth.claim.used' }}
      >
        <Field label={t('field.code')} autoComplete="off" autoCapitalize="characters" spellCheck={false} {...form.field('code')} />
        <SendCode
          requests={codes}
          target={invite}
          onSend={sendCode}
          sendLabel={t('code.sendSms')}
          sentNotice={t('auth.claim.codeSent')}
          label={t('field.phoneCode')}
          field={form.field('phoneCode')}
          primary
        />
        {sent && (
          <Field label={t('field.newPassword')} type="password" autoComplete="new-password" hint={t('auth.claim.passwordHint')} {...form.field('password')} />
        )}
      </Form>
      <ul className="links">
        <li><Link to="/customer/signin">{t('auth.customerSignIn.title')}</Link></li>
      </ul>
    </section>
  );
}

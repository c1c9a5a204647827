// What a referral request asks the customer: why, which details, for how long, with a message.
// The same form asks about an interested customer (requestReferral) and introduces one's own
// customer to a partner (proposeReferral, with the partner to choose).
import { useState } from 'react';
import { CONTACT_FIELDS, type ContactField } from '../../domain';
import type { SchemaType } from '../../graphql';
import { useI18n } from '../../i18n';
import { Checkboxes, Field, Form, Select, useFormValues, type ActionState } from '../../ui/forms';
import * as rules from '../../validate';

/** What the form asks, the same in a request (about an interest) and a proposal (of a customer, to a partner). */
type ReferralInput = Omit<SchemaType<'RequestReferralInput'>, 'interestId'> & Partial<Pick<SchemaType<'ProposeReferralInput'>, 'toMerchantId'>>;

export function ReferralForm<Data>({
  action,
  fields: initialFields,
  partners,
  onSubmit,
}: {
  action: ActionState<Data>;
  fields: readonly ContactField[];
  /** For a proposal: the alliance partners the customer may be introduced to. */
  partners?: { id: string; name: string }[];
  onSubmit: (input: ReferralInput) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const form = useFormValues({ purpose: '', retentionDays: '30', message: '' }, { purpose: rules.text(500), retentionDays: rules.int(1, 365), message: rules.optional(rules.text(1000)) });
  const [fields, setFields] = useState<ContactField[]>([...initialFields]);
  const [partner, setPartner] = useState(partners?.[0]?.id ?? '');
  const [tried, setTried] = useState(false);
  const submit = async () => {
    setTried(true);
    if (!form.validate() || fields.length === 0 || (partners && !partner)) return;
    const { purpose, retentionDays, message } = form.values;
    await onSubmit({
      purpose: purpose.trim(),
      fields,
      retentionDays: Number(retentionDays),
      ...(message.trim() ? { message: message.trim() } : {}),
      ...(partners ? { toMerchantId: partner } : {}),
    });
  };
  return (
    <Form
      action={action}
      onSubmit={() => void submit()}
      submitLabel={t(partners ? 'referral.propose.submit' : 'referral.request.submit')}
      pendingLabel={t('saving')}
      success={() => t('referral.request.sent')}
      wording={{ CONFLICT: 'referral.request.already' }}
    >
      {partners &&
        (partners.length ? (
          <Select label={t('referral.propose.to')} value={partner} onChange={setPartner} options={partners.map((p) => ({ value: p.id, label: p.name }))} />
        ) : (
          <p className="problem">{t('referral.propose.noPartners')}</p>
        ))}
      <Field label={t('referral.purpose')} hint={t('referral.purpose.hint')} {...form.field('purpose')} />
      <Checkboxes
        legend={t('referral.fields')}
        options={CONTACT_FIELDS.map((f) => ({ value: f, label: t(`contactField.${f}`) }))}
        selected={fields}
        onChange={setFields}
        problem={tried && fields.length === 0 ? t('referral.fields.none') : undefined}
      />
      <Field label={t('referral.retention.field')} type="number" inputMode="numeric" min={1} max={365} {...form.field('retentionDays')} />
      <Field label={t('referral.message')} multiline rows={2} {...form.field('message')} />
    </Form>
  );
}

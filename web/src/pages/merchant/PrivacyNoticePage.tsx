// Owners publish a new version of the privacy notice customers read before they consent.
import { graphql } from '../../graphql';
import { useI18n } from '../../i18n';
import { Field, Form, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';
import { PrivacyNoticeStatus } from './PrivacyNoticeStatus';

const PUBLISH_PRIVACY_NOTICE = graphql(`
  mutation PublishPrivacyNotice($text: String!) {
    publishPrivacyNotice(text: $text) { version text publishedAt }
  }
`);

export function PrivacyNoticePage() {
  const { t } = useI18n();
  const notice = useViewer().merchant!.privacyNotice;
  // A new version usually edits the current one.
  const form = useFormValues({ text: notice?.text ?? '' }, { text: rules.text(20_000) });
  const action = useAction(PUBLISH_PRIVACY_NOTICE);
  const submit = () => {
    if (form.validate()) void action.run({ text: form.values.text.trim() });
  };
  return (
    <>
      <h1>{t('privacy.title')}</h1>
      <p className="lead">{t('privacy.intro')}</p>
      <section className="card">
        <PrivacyNoticeStatus notice={notice} />
        {notice && (
          <details>
            <summary>{t('privacy.showText')}</summary>
            <p className="notice-text">{notice.text}</p>
          </details>
        )}
      </section>
      <section className="card">
        <Form
          action={action}
          onSubmit={submit}
          submitLabel={t('privacy.submit')}
          pendingLabel={t('privacy.pending')}
          success={({ publishPrivacyNotice: published }) => t('privacy.published', { version: published.version })}
        >
          <Field label={t('field.text')} multiline rows={10} {...form.field('text')} />
        </Form>
      </section>
    </>
  );
}

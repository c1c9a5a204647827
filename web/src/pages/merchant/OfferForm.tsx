// Posting an offer into communities, and editing one: the same fields, the same checks.
import { graphql, type ResultOf } from '../../graphql';
import { dateInput, daysFromNow, endOfDay, startOfDay } from '../../domain';
import { useI18n } from '../../i18n';
import { Field, Form, useAction, useFormValues, type ActionState } from '../../ui/forms';
import * as rules from '../../validate';
import { useViewer } from '../../viewer';

/** What the form edits of an offer. */
const OfferValuesFields = graphql(`
  fragment OfferValuesFields on Offer @_unmask { id title body category startsAt endsAt }
`);

type OfferValues = ResultOf<typeof OfferValuesFields>;

const POST_OFFER = graphql(`
  mutation PostOffer($input: PostOfferInput!) {
    postOffer(input: $input) { id title status }
  }
`);

const UPDATE_OFFER = graphql(
  `
  mutation UpdateOffer($input: UpdateOfferInput!) {
    updateOffer(input: $input) { ...OfferValuesFields status }
  }
`,
  [OfferValuesFields],
);

const offerRules = {
  title: rules.text(120),
  body: rules.optional(rules.text(4000)),
  category: rules.text(40),
  startsAt: rules.date,
  endsAt: rules.date,
};

/** With communityIds, posts a new offer there; with an offer, edits it. */
export function OfferForm(props: { communityIds: string[] } | { offer: OfferValues }) {
  const { t } = useI18n();
  const viewer = useViewer();
  const editing = 'offer' in props ? props.offer : null;
  const form = useFormValues(
    editing
      ? { title: editing.title, body: editing.body, category: editing.category, startsAt: dateInput(editing.startsAt), endsAt: dateInput(editing.endsAt) }
      : { title: '', body: '', category: viewer.merchant?.category ?? '', startsAt: daysFromNow(0), endsAt: daysFromNow(30) },
    offerRules,
  );
  const post = useAction(POST_OFFER);
  const update = useAction(UPDATE_OFFER);
  const endsBeforeStart = form.values.startsAt && form.values.endsAt && form.values.endsAt < form.values.startsAt;
  const submit = async () => {
    if (!form.validate() || endsBeforeStart) return;
    const { title, body, category, startsAt, endsAt } = form.values;
    const values = { title: title.trim(), body: body.trim(), category: category.trim(), startsAt: startOfDay(startsAt), endsAt: endOfDay(endsAt) };
    if (editing) await update.run({ input: { offerId: editing.id, ...values } });
    else if ('communityIds' in props && (await post.run({ input: { ...values, communityIds: props.communityIds } }))) form.reset();
  };
  return (
    <Form
      action={editing ? (update as ActionState<unknown>) : (post as ActionState<unknown>)}
      onSubmit={submit}
      submitLabel={t(editing ? 'offer.edit.submit' : 'offer.post.submit')}
      pendingLabel={t('saving')}
      success={() => t(editing ? 'offer.edit.done' : 'offer.post.done')}
    >
      <Field label={t('offer.field.title')} {...form.field('title')} />
      <Field label={t('offer.field.category')} {...form.field('category')} />
      <Field label={t('offer.field.body')} multiline rows={4} {...form.field('body')} />
      <Field label={t('offer.field.startsAt')} type="date" {...form.field('startsAt')} />
      <Field
        label={t('offer.field.endsAt')}
        type="date"
        {...form.field('endsAt')}
        problem={form.field('endsAt').problem ?? (endsBeforeStart ? rules.endsBeforeStartProblem : undefined)}
      />
    </Form>
  );
}

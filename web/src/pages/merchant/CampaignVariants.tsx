// A campaign's A/B variants: the organizer writes them and chooses how customers are split while the
// campaign is a draft; the participants see each variant's funnel as a chart and each variant's
// test against A.
import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql, type Item, type ResultOf, type SchemaType } from '../../graphql';
import { useI18n } from '../../i18n';
import { BarChart } from '../../ui/BarChart';
import { Loaded } from '../../ui/feedback';
import { ConfirmAction, Field, Form, Select, useAction, useFormValues } from '../../ui/forms';
import * as rules from '../../validate';

const MAX_VARIANTS = 5;
/** The conventional level below which a difference is called significant. */
const SIGNIFICANT = 0.05;

const VariantFields = graphql(`
  fragment VariantFields on Campaign @_unmask { id variantUnit variants { id label title description } }
`);

const VARIANTS = graphql(
  `
  query CampaignVariants($id: ID!) {
    campaign(id: $id) { ...VariantFields }
  }
`,
  [VariantFields],
);

const RESULTS = graphql(`
  query CampaignVariantResults($id: ID!) {
    campaign(id: $id) {
      id
      variantResults {
        minGroupSize
        variants { variant { id label } reached interested referralsRequested referralsAccepted conversions responseRate withheld }
        comparisons { variant { id label } baseline { id label } test { z pValue } }
      }
    }
  }
`);

const ADD = graphql(
  `
  mutation AddCampaignVariant($input: AddCampaignVariantInput!) {
    addCampaignVariant(input: $input) { ...VariantFields }
  }
`,
  [VariantFields],
);

const REMOVE = graphql(
  `
  mutation RemoveCampaignVariant($input: RemoveCampaignVariantInput!) {
    removeCampaignVariant(input: $input) { ...VariantFields }
  }
`,
  [VariantFields],
);

const SET_UNIT = graphql(
  `
  mutation SetCampaignVariantUnit($input: SetCampaignVariantUnitInput!) {
    setCampaignVariantUnit(input: $input) { ...VariantFields }
  }
`,
  [VariantFields],
);

type Unit = SchemaType<'CampaignVariantUnit'>;
type Figure = SchemaType<'CampaignVariantFigure'>;
type Variant = Item<ResultOf<typeof VariantFields>['variants']>;
type Funnel = Item<NonNullable<NonNullable<ResultOf<typeof RESULTS>['campaign']>['variantResults']>['variants']>;

// The first variant brings a type the answer did not hold before.
const variantsContext = { additionalTypenames: ['CampaignVariant'] };

/** `editable` for the organizer of a draft; `results` for a participant once it is published. */
export function CampaignVariants({ campaignId, editable, results }: { campaignId: string; editable: boolean; results: boolean }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: VARIANTS, variables: { id: campaignId }, context: variantsContext });
  const campaign = data?.campaign;
  if (!editable && campaign?.variants.length === 0) return null;
  return (
    <section className="card">
      <h2>{t('variants.title')}</h2>
      <Loaded value={campaign} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
        {(c) => (
          <>
            <p className="meta">{t(`variants.unit.${c.variantUnit}`)}</p>
            {c.variants.length ? (
              <ul className="items">
                {c.variants.map((v) => (
                  <li key={v.id} className="item">
                    <p>
                      <strong>{t('variants.label', { label: v.label })}</strong> {v.title}
                    </p>
                    {v.description && <p className="meta">{v.description}</p>}
                    {editable && <RemoveVariant variant={v} />}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t('variants.none')}</p>
            )}
            {editable && <SplitBy campaignId={campaignId} unit={c.variantUnit} />}
            {editable && c.variants.length < MAX_VARIANTS && <AddVariant campaignId={campaignId} />}
            {results && c.variants.length > 0 && <VariantResultsChart campaignId={campaignId} />}
          </>
        )}
      </Loaded>
    </section>
  );
}

function RemoveVariant({ variant }: { variant: Variant }) {
  const { t } = useI18n();
  const action = useAction(REMOVE);
  return (
    <ConfirmAction
      action={action}
      label={t('variants.remove')}
      question={t('variants.remove.question', { label: variant.label })}
      confirmLabel={t('variants.remove.confirm')}
      pendingLabel={t('saving')}
      onConfirm={() => action.run({ input: { variantId: variant.id } })}
    />
  );
}

function SplitBy({ campaignId, unit }: { campaignId: string; unit: Unit }) {
  const { t } = useI18n();
  const action = useAction(SET_UNIT);
  const [chosen, setChosen] = useState<Unit>(unit);
  return (
    <Form action={action} onSubmit={() => void action.run({ input: { campaignId, unit: chosen } })} submitLabel={t('variants.unit.submit')} pendingLabel={t('saving')} success={() => t('variants.unit.saved')}>
      <Select label={t('variants.unit.label')} value={chosen} onChange={setChosen} options={(['COMMUNITY', 'CUSTOMER'] as const).map((value) => ({ value, label: t(`variants.unit.${value}`) }))} />
    </Form>
  );
}

function AddVariant({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const form = useFormValues({ title: '', description: '' }, { title: rules.text(120), description: rules.optional(rules.text(4000)) });
  const action = useAction(ADD);
  const submit = async () => {
    if (!form.validate()) return;
    if (await action.run({ input: { campaignId, title: form.values.title.trim(), description: form.values.description.trim() } })) form.reset();
  };
  return (
    <details>
      <summary>{t('variants.add')}</summary>
      <Form action={action} onSubmit={() => void submit()} submitLabel={t('variants.add.submit')} pendingLabel={t('saving')} success={() => t('variants.added')}>
        <Field label={t('variants.field.title')} {...form.field('title')} />
        <Field label={t('variants.field.description')} multiline rows={3} {...form.field('description')} />
      </Form>
    </details>
  );
}

function VariantResultsChart({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const [{ data, error }, reexecute] = useQuery({ query: RESULTS, variables: { id: campaignId }, context: variantsContext });
  return (
    <Loaded value={data?.campaign?.variantResults} error={error} retry={() => reexecute({ requestPolicy: 'network-only' })}>
      {(results) => {
        // A withheld figure reads 0 from the server: draw no bar and say why, as the campaign chart does.
        const fewer = t('insights.fewerThan', { min: results.minGroupSize });
        const figure = (f: Funnel, name: Figure, value: number) => (f.withheld.includes(name) ? { value: null, shown: fewer } : { value, shown: String(value) });
        const rate = (f: Funnel) => (f.withheld.includes('RESPONSE_RATE') ? fewer : `${(f.responseRate * 100).toFixed(1)}%`);
        return (
          <div className="chart">
            {results.variants.map((f) => (
              <BarChart
                key={f.variant.label}
                title={t('variants.funnel', { label: f.variant.label, rate: rate(f) })}
                bars={(
                  [
                    ['chart.reached', 'REACHED', f.reached],
                    ['chart.interested', 'INTERESTED', f.interested],
                    ['chart.requested', 'REFERRALS_REQUESTED', f.referralsRequested],
                    ['chart.accepted', 'REFERRALS_ACCEPTED', f.referralsAccepted],
                    ['chart.conversions', 'CONVERSIONS', f.conversions],
                  ] as const
                ).map(([key, name, value]) => ({ label: t(key), ...figure(f, name, value) }))}
              />
            ))}
            {results.comparisons.map(({ variant, baseline, test }) => (
              <p key={variant.label} className="meta">
                {test
                  ? t(test.pValue < SIGNIFICANT ? 'variants.test.significant' : 'variants.test.notSignificant', {
                      label: variant.label,
                      baseline: baseline.label,
                      z: test.z.toFixed(2),
                      p: test.pValue < 0.001 ? '< 0.001' : test.pValue.toFixed(3),
                    })
                  : t('variants.test.none', { label: variant.label, baseline: baseline.label, fewer })}
              </p>
            ))}
          </div>
        );
      }}
    </Loaded>
  );
}

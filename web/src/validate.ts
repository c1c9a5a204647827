// The server's input limits (schema/validators.ts), checked before sending. Each rule returns the
// problem (a message and its parameters), or null when the value is fine.
import type { MessageKey } from './i18n';

export interface Problem {
  key: MessageKey;
  params?: Record<string, number>;
}

/** A field's rule; `values` holds the whole form, for rules that depend on another field. */
export type Rule = (value: string, values: Readonly<Record<string, string>>) => Problem | null;

const problem = (key: MessageKey, params?: Record<string, number>): Problem => ({ key, params });

/** Lengths count code points of the trimmed, NFC-normalised text, as the server does. */
const length = (value: string) => [...value.normalize('NFC').trim()].length;

export const text =
  (max: number): Rule =>
  (value) =>
    length(value) === 0 ? problem('validate.required') : length(value) > max ? problem('validate.tooLong', { max }) : null;

export const name = text(100);

export const email: Rule = (value) => {
  const v = value.trim();
  if (!v) return problem('validate.required');
  return v.length <= 254 && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : problem('validate.email');
};

export const password: Rule = (value) => (value.length >= 8 && value.length <= 128 ? null : problem('validate.password'));

/** A Chinese mobile number (with or without +86) or any E.164 number. */
export const phone: Rule = (value) => {
  const v = value.replace(/[\s-]/g, '');
  if (!v) return problem('validate.required');
  return /^(\+?86)?1[3-9]\d{9}$/.test(v) || /^\+[1-9]\d{6,14}$/.test(v) ? null : problem('validate.phone');
};

/** A one-time code (SMS or email) as the server takes it: six digits, spaces and full-width digits tolerated. */
export const oneTimeCode: Rule = (value) =>
  value.length <= 20 && /^\d{6}$/.test(value.normalize('NFKC').replace(/\s/g, '')) ? null : problem('validate.code');

/** Sign-in only checks presence: the server answers wrong credentials without telling which. */
export const required: Rule = (value) => (value.trim() ? null : problem('validate.required'));

/** The first problem of every field, keyed like the form's values. */
export function check<K extends string>(values: Record<K, string>, rules: Partial<Record<K, Rule>>): Partial<Record<K, Problem>> {
  const problems: Partial<Record<K, Problem>> = {};
  for (const key of Object.keys(rules) as K[]) {
    const problem = rules[key]!(values[key], values);
    if (problem) problems[key] = problem;
  }
  return problems;
}

/** An empty value passes; anything else must pass the rule. */
export const optional =
  (rule: Rule): Rule =>
  (value, values) =>
    value.trim() ? rule(value, values) : null;

/** The rule applies only while another field is filled in (a new phone needs the code sent to it). */
export const whenFilled =
  (other: string, rule: Rule): Rule =>
  (value, values) =>
    values[other]?.trim() ? rule(value, values) : null;

/** A whole number within the server's bounds. */
export const int =
  (min: number, max: number): Rule =>
  (value) => {
    const v = value.trim();
    if (!v) return problem('validate.required');
    return /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max ? null : problem('validate.range', { min, max });
  };

/** An amount in yuan with at most two decimals (fen), within the server's bounds in yuan. */
export const yuan =
  (min: number, max: number): Rule =>
  (value) => {
    const v = value.trim();
    if (!v) return problem('validate.required');
    return /^\d+(\.\d{1,2})?$/.test(v) && Number(v) >= min && Number(v) <= max ? null : problem('validate.yuan', { min, max });
  };

/** Yuan as typed (checked by `yuan`) in fen, the unit the API counts in. */
export const toFen = (value: string) => Math.round(Number(value.trim()) * 100);

/** A calendar date from <input type="date">. */
export const date: Rule = (value) => (!value ? problem('validate.required') : Number.isNaN(Date.parse(value)) ? problem('validate.date') : null);

/** A web address the server takes for a link: https, without a user name (which can make a link read as another site's). */
export const httpsUrl: Rule = (value) => {
  const v = value.trim();
  if (!v) return problem('validate.required');
  if (v.length > 2048) return problem('validate.tooLong', { max: 2048 });
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return problem('validate.url');
  }
  if (url.protocol !== 'https:') return problem('validate.https');
  return url.username || url.password ? problem('validate.url') : null;
};

/** An end time not after the start time (checked across two fields). */
export const endsNotAfterStartProblem: Problem = problem('validate.endsNotAfterStart');

/** An end date before the start date (checked across two fields). */
export const endsBeforeStartProblem: Problem = problem('validate.endsBeforeStart');

/** A date after today where only the past makes sense (a purchase). */
export const futureProblem: Problem = problem('validate.future');

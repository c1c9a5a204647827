// The schema's enums as the web app uses them, and the helpers that format their values.
import type { SchemaType } from './graphql';

export type ContactField = SchemaType<'ContactField'>;
export type Channel = SchemaType<'Channel'>;
export type ReferralStatus = SchemaType<'ReferralStatus'>;
export type OfferStatus = SchemaType<'OfferStatus'>;
export type CampaignStatus = SchemaType<'CampaignStatus'>;
export type AllianceRole = SchemaType<'AllianceRole'>;
export type StaffRole = SchemaType<'StaffRole'>;

/** Every value of an enum, in the order the app lists them: a value missing or unknown is a type error. */
const allOf =
  <T extends string>() =>
  <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : { missing: Exclude<T, L[number]> })) =>
    list;

export const CONTACT_FIELDS = allOf<ContactField>()(['NAME', 'PHONE', 'ADDRESS', 'WECHAT']);
export const CHANNELS = allOf<Channel>()(['IN_APP', 'SMS', 'PHONE_CALL', 'WECHAT', 'EMAIL']);

/** The start of the chosen day, local time, as the API's DateTime. */
export const startOfDay = (date: string) => new Date(`${date}T00:00:00`).toISOString();
/** The end of the chosen day, local time: an offer "until 31 May" runs through that day. */
export const endOfDay = (date: string) => new Date(`${date}T23:59:59`).toISOString();
/** An API DateTime as the value of <input type="date">, local time. */
export const dateInput = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
export const daysFromNow = (days: number) => dateInput(new Date(Date.now() + days * 86_400_000).toISOString());
/** An API DateTime as the value of <input type="datetime-local">, local time to the minute. */
export const dateTimeInput = (iso: string) => {
  const d = new Date(iso);
  return `${dateInput(iso)}T${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};
/** The value of <input type="datetime-local"> (local time) as the API's DateTime. */
export const fromDateTimeInput = (value: string) => new Date(value).toISOString();

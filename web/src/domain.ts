// The contract's enums as the web app uses them, and the helpers that format their values.
export const CONTACT_FIELDS = ['NAME', 'PHONE', 'ADDRESS', 'WECHAT'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

export const CHANNELS = ['IN_APP', 'SMS', 'PHONE_CALL', 'WECHAT', 'EMAIL'] as const;
export type Channel = (typeof CHANNELS)[number];

export type ReferralStatus = 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED' | 'REVOKED' | 'WITHDRAWN';
export type OfferStatus = 'DRAFT' | 'PUBLISHED' | 'HIDDEN' | 'WITHDRAWN' | 'EXPIRED';
export type CampaignStatus = 'DRAFT' | 'PUBLISHED' | 'ENDED' | 'CANCELLED';
export type ParticipantStatus = 'INVITED' | 'ACCEPTED' | 'DECLINED';
export type AllianceRole = 'OWNER' | 'ADMIN' | 'MEMBER';
export type MembershipStatus = 'PENDING' | 'APPROVED' | 'REJECTED' | 'SUSPENDED';
export type AccessKind = 'GRANT' | 'OWN_RECORD' | 'SELF';
export type ConsentSource = 'IN_STORE' | 'ONLINE' | 'PHONE' | 'IMPORT';
export type MerchantAlertKind = 'DISOWNED_RECORDS' | 'STAFF_CONTACT_READS';
export type StaffRole = 'OWNER' | 'STAFF';
export type ModerationActionKind =
  | 'APPROVE_MEMBER'
  | 'REJECT_MEMBER'
  | 'SUSPEND_MERCHANT'
  | 'REINSTATE_MERCHANT'
  | 'ARCHIVE_COMMUNITY'
  | 'HIDE_OFFER'
  | 'RESTORE_OFFER'
  | 'DISMISS_REPORT';

/** A merchant as anyone may see it: its public business card. */
export interface MerchantCard {
  id: string;
  name: string;
  category: string;
  publicContact?: string | null;
}

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

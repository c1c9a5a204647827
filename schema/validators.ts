// Shared input rules, applied at the edge with zod (plugin-validation).
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';

/** Unicode text, NFC-normalised and trimmed; Chinese first, so lengths count code points. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .normalize('NFC')
    .trim()
    .refine((s) => [...s].length >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .refine((s) => [...s].length <= max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters')
    // Bidirectional overrides can make a name display as something else (spoofing).
    .refine((s) => !/[\u202A-\u202E\u2066-\u2069]/.test(s), 'must not contain text-direction control characters')
    // Lone surrogates cannot be stored as UTF-8: they would come back changed.
    .refine((s) => s.isWellFormed(), 'must be valid Unicode text');

export const name = text(100);
export const email = z.string().trim().toLowerCase().max(254, 'must be at most 254 characters').pipe(z.email('must be a valid email address'));
/** A new password. Passwords are compared after NFC normalisation (services/auth/passwords.ts), never trimmed. */
export const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
/** A password typed to sign in: checked by the same rule as a new one, without the length floor. */
export const passwordAttempt = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');
/** A one-time code as typed (spaces and full-width digits tolerated). */
export const oneTimeCode = z
  .string()
  .max(20, 'must be the 6-digit code')
  .transform((s) => s.normalize('NFKC').replace(/\s/g, ''))
  .pipe(z.string().regex(/^\d{6}$/, 'must be the 6-digit code'));
/** Free text for notices and descriptions. */
export const longText = (max: number) => text(max);

/**
 * Phone numbers normalised to E.164. Chinese mobiles are accepted with or without +86; full-width
 * digits and a tel: prefix are tolerated because people paste them.
 */
export const phone = z
  .string()
  .max(40, 'must be a valid phone number')
  .transform((raw, ctx) => {
    const cleaned = raw.normalize('NFKC').trim().replace(/^tel:/i, '');
    const parsed = parsePhoneNumberFromString(cleaned, 'CN');
    if (!parsed || !parsed.isValid()) {
      ctx.addIssue({ code: 'custom', message: 'must be a valid phone number, e.g. 13800138000 or +8613800138000' });
      return z.NEVER;
    }
    return parsed.number;
  });

/** A phone if the login parses as one, else null (then it is an email). */
export function phoneOrNull(login: string): string | null {
  const result = phone.safeParse(login);
  return result.success && !login.includes('@') ? result.data : null;
}

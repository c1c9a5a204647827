// Shared input rules, applied at the edge with zod (plugin-validation).
import { z } from 'zod';

/** Unicode text, NFC-normalised and trimmed; Chinese first, so lengths count code points. */
export const text = (max: number, min = 1) =>
  z
    .string()
    .normalize('NFC')
    .trim()
    .refine((s) => [...s].length >= min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .refine((s) => [...s].length <= max, `must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters');

export const name = text(100);
export const email = z.string().trim().toLowerCase().max(254, 'must be at most 254 characters').pipe(z.email('must be a valid email address'));
export const password = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters');
/** Free text for notices and descriptions. */
export const longText = (max: number) => text(max);

// The user's language and the locale-aware formatting of dates, amounts and waits. The strings are
// in one file per language (zh-CN.ts, en.ts); Chinese (zh-CN) is the default; the choice is
// remembered in localStorage.
import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { en } from './en';
import { zhCN } from './zh-CN';

export type Locale = 'zh-CN' | 'en';
export const locales: readonly Locale[] = ['zh-CN', 'en'];
/** Each language named in itself, as language switches conventionally show them. */
export const localeNames: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

export type MessageKey = keyof typeof zhCN;

const dictionaries: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

export const isMessageKey = (key: string): key is MessageKey => key in zhCN;

const STORAGE_KEY = 'arp.locale';
const stored = localStorage.getItem(STORAGE_KEY);
let current: Locale = locales.find((l) => l === stored) ?? 'zh-CN';
const listeners = new Set<() => void>();
document.documentElement.lang = current;

export function setLocale(locale: Locale): void {
  current = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  document.documentElement.lang = locale;
  listeners.forEach((l) => l());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The current locale, its translate function `t` and the formatting that depends on the locale. */
export function useI18n() {
  const locale = useSyncExternalStore(subscribe, () => current);
  const t = useCallback<Translate>(
    (key, params) => dictionaries[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(params?.[name] ?? whole)),
    [locale],
  );
  return useMemo(
    () => ({
      locale,
      t,
      dateTime: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      date: (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(new Date(iso)),
      time: (iso: string) => new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(iso)),
      /** Amounts are kept in fen (the smallest unit); people read yuan. */
      money: (fen: number) => new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY' }).format(fen / 100),
      /** Items of a list in the locale's way ("A, B and C" / "A、B和C"). */
      list: (items: string[]) => new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items),
      /** "in 5 minutes" / "5分钟后", in the largest whole unit. */
      after: (seconds: number) => {
        const [value, unit] =
          seconds >= 86_400 ? [Math.ceil(seconds / 86_400), 'day' as const]
          : seconds >= 3_600 ? [Math.ceil(seconds / 3_600), 'hour' as const]
          : seconds >= 60 ? [Math.ceil(seconds / 60), 'minute' as const]
          : [Math.max(1, Math.ceil(seconds)), 'second' as const];
        return new Intl.RelativeTimeFormat(locale, { numeric: 'always' }).format(value, unit);
      },
    }),
    [locale, t],
  );
}

export const useT = (): Translate => useI18n().t;

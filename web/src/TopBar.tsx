// The bar on every page: the app's name, the language switch and, when signed in, who and sign-out.
import { useState } from 'react';
import { localeNames, locales, setLocale, useI18n } from './i18n';
import { Link } from './router';
import { signOut } from './session';
import { Spinner } from './ui/feedback';
import type { Viewer } from './viewer';

export function TopBar({ viewer }: { viewer?: Viewer }) {
  const { t, locale } = useI18n();
  const [signingOut, setSigningOut] = useState(false);
  const leave = async () => {
    setSigningOut(true);
    await signOut();
  };
  return (
    <header className="topbar">
      <Link to="/" className="brand">
        {t('app.name')}
      </Link>
      <div className="topbar-actions">
        <div className="locale-switch" role="group" aria-label={t('locale.label')}>
          {locales.map((l) => (
            <button key={l} type="button" lang={l} aria-pressed={l === locale} onClick={() => setLocale(l)}>
              {localeNames[l]}
            </button>
          ))}
        </div>
        {viewer && (
          <>
            <span className="who">{viewer.displayName}</span>
            <button type="button" className="button" onClick={leave} disabled={signingOut}>
              {signingOut ? (
                <>
                  <Spinner />
                  {t('auth.signingOut')}
                </>
              ) : (
                t('auth.signOut')
              )}
            </button>
          </>
        )}
      </div>
    </header>
  );
}

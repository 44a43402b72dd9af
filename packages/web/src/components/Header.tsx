import { useLang } from '../i18n/lang.tsx';
import { useSession } from '../session.tsx';
import { hrefFor } from '../route.ts';

export function Header() {
  const { lang, setLang, t } = useLang();
  const { user, signOut } = useSession();
  return (
    <header className="header">
      <a className="brand" href={hrefFor.home}>
        <span className="brand-mark" aria-hidden="true">
          ♥
        </span>
        {t.appName} <span className="brand-tagline">{t.appTagline}</span>
      </a>
      <div className="header-actions">
        {user && <span className="who">{user.displayName}</span>}
        <button
          type="button"
          className="link-button"
          data-testid="lang-toggle"
          aria-label={t.switchLanguageLabel}
          onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}
        >
          {t.switchLanguage}
        </button>
        {user && (
          <button type="button" className="link-button" onClick={signOut}>
            {t.signOut}
          </button>
        )}
      </div>
    </header>
  );
}

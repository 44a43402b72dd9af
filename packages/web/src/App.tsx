import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from './api/client.ts';
import type { User } from './api/types.ts';
import { LangContext, initialLang, rememberLang, useLang } from './i18n/lang.tsx';
import type { Lang } from './i18n/messages.ts';
import { SessionContext, isCareTeam, useSession } from './session.tsx';
import { hrefFor, navigate, useRoute } from './route.ts';
import { Header } from './components/Header.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { MemberListPage } from './pages/MemberListPage.tsx';
import { MemberPage } from './pages/MemberPage.tsx';

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  // undefined while asking the server whether a session cookie is still good.
  const [user, setUser] = useState<User | null | undefined>(undefined);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  useEffect(() => {
    api<{ user: User }>('/auth/me').then(
      (r) => setUser(r.user),
      () => setUser(null),
    );
  }, []);

  const setLang = useCallback((l: Lang) => {
    rememberLang(l);
    setLangState(l);
  }, []);
  const sessionEnded = useCallback(() => setUser(null), []);
  const signOut = useCallback(() => {
    api('/auth/logout', { method: 'POST' })
      .catch(() => undefined)
      .finally(() => {
        setUser(null);
        navigate(hrefFor.home);
      });
  }, []);

  const langState = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  const session = useMemo(
    () => ({ user: user ?? null, signOut, sessionEnded }),
    [user, signOut, sessionEnded],
  );

  return (
    <LangContext.Provider value={langState}>
      <SessionContext.Provider value={session}>
        <Header />
        <main className="main">
          {user === undefined ? (
            <Loading />
          ) : user === null ? (
            <SignInPage onSignedIn={setUser} />
          ) : (
            <SignedIn user={user} />
          )}
        </main>
      </SessionContext.Provider>
    </LangContext.Provider>
  );
}

function Loading() {
  const { t } = useLang();
  return <p className="muted">{t.loading}</p>;
}

/** Picks the page for the route and the user's role: a member only ever sees their own record. */
function SignedIn({ user }: { user: User }) {
  const route = useRoute();
  const { t } = useLang();
  const { signOut } = useSession();
  const careTeam = isCareTeam(user);

  if (route.page === 'not-found') {
    return (
      <div className="panel">
        <p>{t.notFound}</p>
        <a href={hrefFor.home}>{t.goHome}</a>
      </div>
    );
  }
  if (route.page === 'member' && (careTeam || route.memberId === user.memberId)) {
    return (
      <MemberPage
        key={route.memberId}
        memberId={route.memberId}
        self={route.memberId === user.memberId}
        careTeam={careTeam}
      />
    );
  }
  if (careTeam) return <MemberListPage title={user.roles.includes('admin') ? 'all' : 'caseload'} />;
  if (user.memberId) return <MemberPage memberId={user.memberId} self careTeam={false} />;
  // Operators work with programs and metrics, not individual records.
  return (
    <div className="panel">
      <p>{t.notFound}</p>
      <button type="button" onClick={signOut}>
        {t.signOut}
      </button>
    </div>
  );
}

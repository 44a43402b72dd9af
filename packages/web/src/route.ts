import { useEffect, useState } from 'react';

// Hash routes: the server serves one static index.html, so the path stays `/`.
export type Route =
  | { page: 'home' }
  | { page: 'members' }
  | { page: 'member'; memberId: string }
  | { page: 'not-found' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'home' };
  if (path === '/members') return { page: 'members' };
  const m = /^\/members\/([0-9a-fA-F-]{36})$/.exec(path);
  if (m?.[1]) return { page: 'member', memberId: m[1] };
  return { page: 'not-found' };
}

export const hrefFor = {
  home: '#/',
  members: '#/members',
  member: (memberId: string) => `#/members/${memberId}`,
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function navigate(href: string): void {
  if (window.location.hash !== href) window.location.hash = href;
}

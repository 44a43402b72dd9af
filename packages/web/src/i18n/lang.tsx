import { createContext, useContext } from 'react';
import { messages, type Lang, type Messages } from './messages.ts';

export interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

export const LangContext = createContext<LangState>({ lang: 'zh-CN', setLang: () => undefined });

const storageKey = 'careloop.lang';

/** Chinese unless the user switched to English on this browser before. */
export function initialLang(): Lang {
  try {
    return localStorage.getItem(storageKey) === 'en' ? 'en' : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

export function rememberLang(lang: Lang): void {
  try {
    localStorage.setItem(storageKey, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

export function useLang(): LangState & { t: Messages } {
  const state = useContext(LangContext);
  return { ...state, t: messages[state.lang] };
}

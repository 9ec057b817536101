import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useState,
  type AnchorHTMLAttributes,
  type ReactNode,
} from "react";

/**
 * A small history-API router: a hall has a few dozen pages at most, and it already serves index.html for every
 * page path (hall kit `frontEnd`), so deep links and reloads work without a routing library.
 */
interface RouterValue {
  path: string;
  search: URLSearchParams;
  navigate(to: string, options?: { replace?: boolean }): void;
}

const RouterContext = createContext<RouterValue | null>(null);

function current() {
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

export function Router({ children }: { children: ReactNode }) {
  const [state, setState] = useState(current);
  useEffect(() => {
    const onPop = () => setState(current());
    addEventListener("popstate", onPop);
    return () => removeEventListener("popstate", onPop);
  }, []);
  const navigate = useCallback((to: string, options: { replace?: boolean } = {}) => {
    if (options.replace) history.replaceState(null, "", to);
    else history.pushState(null, "", to);
    setState(current());
    // A new page: move focus to its content so screen readers and keyboards start there.
    requestAnimationFrame(() => document.getElementById("main")?.focus());
  }, []);
  return <RouterContext.Provider value={{ ...state, navigate }}>{children}</RouterContext.Provider>;
}

export function useRouter(): RouterValue {
  const value = useContext(RouterContext);
  if (!value) throw new Error("wrap the app in <Router>");
  return value;
}

export function Link({ to, children, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { path, navigate } = useRouter();
  const active = path === to || (to !== "/" && path.startsWith(to + "/"));
  return (
    <a
      href={to}
      aria-current={active ? "page" : undefined}
      {...rest}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

import { useEffect, useRef } from 'react';
import { activeItem, MainMenu, type MenuItem } from './components/main-menu';
import { Loading } from './components/feedback';
import { ApprovalsPage } from './pages/approvals-page';
import { DriftPage } from './pages/drift-page';
import { JobDetailPage } from './pages/job-detail-page';
import { JobsPage } from './pages/jobs-page';
import { KeysPage } from './pages/keys-page';
import { LoginPage } from './pages/login-page';
import { OverviewPage } from './pages/overview-page';
import { PromptDetailPage, PromptsPage } from './pages/prompts-page';
import { RequestsPage } from './pages/requests-page';
import { ShadowPage } from './pages/shadow-page';
import { WorkflowRunPage, WorkflowRunsPage } from './pages/workflow-runs-page';
import { usePath } from './router';
import { useSession } from './session';
import { useTheme } from './theme';

/** The pages, in menu order. A new page is one entry here and one file in pages/. */
const menu: readonly MenuItem[] = [
  { path: '/', label: 'Overview' },
  { path: '/requests', label: 'Requests' },
  { path: '/jobs', label: 'Jobs' },
  { path: '/approvals', label: 'Approvals' },
  { path: '/workflows', label: 'Workflow runs' },
  { path: '/prompts', label: 'Prompts' },
  { path: '/shadow', label: 'Shadow' },
  { path: '/drift', label: 'Drift' },
  { path: '/keys', label: 'Keys' },
];

function Page({ path }: { path: string }) {
  const job = /^\/jobs\/([^/]+)$/.exec(path);
  if (job) return <JobDetailPage id={decodeURIComponent(job[1]!)} />;
  const run = /^\/workflows\/runs\/([^/]+)$/.exec(path);
  if (run) return <WorkflowRunPage key={run[1]} id={decodeURIComponent(run[1]!)} />;
  const prompt = /^\/prompts\/([^/]+)$/.exec(path);
  if (prompt) return <PromptDetailPage key={prompt[1]} name={decodeURIComponent(prompt[1]!)} />;
  switch (path) {
    case '/':
      return <OverviewPage />;
    case '/requests':
      return <RequestsPage />;
    case '/jobs':
      return <JobsPage />;
    case '/approvals':
      return <ApprovalsPage />;
    case '/workflows':
      return <WorkflowRunsPage />;
    case '/prompts':
      return <PromptsPage />;
    case '/shadow':
      return <ShadowPage />;
    case '/drift':
      return <DriftPage />;
    case '/keys':
      return <KeysPage />;
    default:
      return <h1 tabIndex={-1}>Page not found</h1>;
  }
}

export function App() {
  const { session, logout } = useSession();
  const [theme, toggleTheme] = useTheme();
  const path = usePath();
  const main = useRef<HTMLElement>(null);
  const section = activeItem(menu, path);

  // After a page change, move focus to the new page's heading, so a screen reader announces it.
  const previousPath = useRef(path);
  useEffect(() => {
    document.title = section ? `${section.label} · Breakwater` : 'Breakwater';
    if (previousPath.current === path) return;
    previousPath.current = path;
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [path, section]);

  const themeButton = (
    <button type="button" className="button-quiet" onClick={toggleTheme} aria-pressed={theme === 'dark'}>
      Dark theme
    </button>
  );

  if (session === undefined) return <Loading />;
  if (!session.authenticated) {
    return (
      <div className="login-shell">
        <div className="login-theme">{themeButton}</div>
        <LoginPage />
      </div>
    );
  }
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Breakwater</span>
        <span className="who" data-testid="who">
          {session.kind === 'admin' ? 'Admin · every tenant' : `Key ${session.key?.name} · tenant ${session.key?.tenant}`}
        </span>
        <span className="topbar-actions">
          {themeButton}
          <button type="button" className="button-quiet" onClick={() => void logout()}>
            Log out
          </button>
        </span>
      </header>
      <MainMenu items={menu} path={path} />
      <main id="main" ref={main} tabIndex={-1}>
        <Page path={path} />
      </main>
    </div>
  );
}

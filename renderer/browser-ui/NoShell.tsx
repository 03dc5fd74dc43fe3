// Shown when the page is opened on its own (a file, `vite preview`): it has no channel to a
// browser process, so there is nothing to show but how to start it properly.
import './no-shell.css';

export function NoShell({ problem }: { problem: string | undefined }) {
  return (
    <main className="no-shell">
      <div className="no-shell-card">
        <h1>Browser Process Lab</h1>
        <p className="no-shell-lead">This page is the browser&rsquo;s own UI, and it needs the browser around it.</p>
        <p>
          The tab strip, the omnibox and the tabs are run by the browser process, which talks to this page over a
          channel the app&rsquo;s shell installs. Opened on its own, the page has no such channel.
        </p>
        <p>
          Start the app instead: <code>npm start</code>.
        </p>
        {problem && <p className="no-shell-detail">{problem}</p>}
      </div>
    </main>
  );
}

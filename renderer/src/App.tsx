// The browser UI. For now a placeholder; tabs, the omnibox and the process view come with the shell.
export function App() {
  return (
    <>
      <header>
        <h1>Browser Process Lab</h1>
      </header>
      <main>
        <p>The browser UI arrives with the browser shell.</p>
      </main>
    </>
  );
}

// esbuild loads stylesheets as text for the benchmark's pages (loader '.css': 'text').
declare module '*.css' {
  const text: string;
  export default text;
}

// Vite's `?inline`: a stylesheet as a string, so the built report is one script.
declare module '*.css?inline' {
  const css: string;
  export default css;
}

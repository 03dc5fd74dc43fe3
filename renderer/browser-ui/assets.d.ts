// Vite bundles imported stylesheets; TypeScript only needs to know the import is fine.
declare module '*.css';

/** Stylesheets are bundled by vite (vite.config.ts); TypeScript only needs to know they exist. */
declare module '*.css';

// esbuild bundles the stylesheets the pages import; to the type checker they are modules with nothing in them.
declare module '*.css';

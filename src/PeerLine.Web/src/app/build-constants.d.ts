// Constants build.mjs puts into the page bundles (esbuild `define`); undeclared anywhere else (Node tests).
declare const PEERLINE_PUZZLE_WORKER: string | undefined;

// Builds the pages the server serves: one bundle (JS + CSS) per page with esbuild, content-hashed names, and
// HTML with Subresource Integrity on every asset. Output: dist/ (copied to the server's wwwroot by its build).
//   node build.mjs            the pages
//   node build.mjs --harness-only  the in-browser vector harness of the Playwright tests (dist-test/), built by the test project

import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist');

const PAGES = [
  { entry: 'src/caller/main.js', name: 'caller', template: 'pages/caller.html', html: 'index.html' },
  { entry: 'src/staff/main.js', name: 'staff', template: 'pages/staff.html', html: 'staff/index.html' },
  { entry: 'src/compliance/main.js', name: 'compliance', template: 'pages/compliance.html', html: 'compliance/index.html' },
];

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome120', 'firefox121', 'safari17'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/** @param {Uint8Array} bytes */
const integrity = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

async function buildPages() {
  rmSync(out, { recursive: true, force: true });
  const worker = await buildPuzzleWorker();
  const result = await build({
    ...common,
    entryPoints: Object.fromEntries(PAGES.map((p) => [p.name, join(root, p.entry)])),
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    define: { PEERLINE_PUZZLE_WORKER: JSON.stringify(worker) },
    metafile: true,
  });
  const icon = readFileSync(join(root, 'pages/icon.svg'));
  const iconName = `icon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
  writeFileSync(join(out, 'assets', iconName), icon);

  for (const page of PAGES) {
    const output = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === page.entry);
    if (!output) throw new Error(`${page.entry}: not built`);
    const [file, meta] = output;
    const tags = [`<link rel="icon" href="/assets/${iconName}" type="image/svg+xml">`];
    if (meta.cssBundle) tags.push(`<link rel="stylesheet" href="${url(meta.cssBundle)}" integrity="${integrity(readFileSync(join(root, meta.cssBundle)))}">`);
    tags.push(`<script type="module" src="${url(file)}" integrity="${integrity(readFileSync(join(root, file)))}"></script>`);
    const html = readFileSync(join(root, page.template), 'utf8').replace('<!-- peerline:assets -->', tags.join('\n  '));
    if (html.includes('<!-- peerline:assets -->') || !html.includes('integrity=')) throw new Error(`${page.template}: no assets placeholder`);
    mkdirSync(dirname(join(out, page.html)), { recursive: true });
    writeFileSync(join(out, page.html), html);
  }
}

// The request puzzle's Web Worker (src/app/puzzle.js): its own content-hashed asset, a classic script (a worker has no
// integrity attribute; CSP worker-src 'self' admits it), whose URL the page bundles get as PEERLINE_PUZZLE_WORKER.
async function buildPuzzleWorker() {
  const result = await build({
    ...common,
    format: 'iife',
    entryPoints: { 'puzzle-worker': join(root, 'src/app/puzzle-worker.js') },
    outdir: join(out, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
  });
  const [file] = Object.keys(result.metafile.outputs);
  return url(file);
}

// "dist/assets/x.js" -> "/assets/x.js"
/** @param {string} file */
const url = (file) => `/${file.split('dist/')[1]}`;

async function buildHarness() {
  const target = join(root, 'dist-test');
  rmSync(target, { recursive: true, force: true });
  await build({ ...common, minify: false, entryPoints: [join(root, 'test/browser/harness.js')], outfile: join(target, 'harness.js') });
}

if (process.argv.includes('--harness-only')) await buildHarness();
else await buildPages();

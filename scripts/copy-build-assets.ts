import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `npm run build` compiles TypeScript only; the app also reads files beside its modules at run
 * time (views, styles, scripts, JSON settings, the PMT models, the demo extract). Copies every
 * non-TypeScript file of src/ into dist/src/, keeping the layout.
 */
const root = path.resolve(__dirname, '..');
fs.cpSync(path.join(root, 'src'), path.join(root, 'dist', 'src'), {
  recursive: true,
  filter: (source) => fs.statSync(source).isDirectory() || !source.endsWith('.ts'),
});

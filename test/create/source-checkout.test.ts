/**
 * Packing a source checkout for a new project to depend on: the running CLI
 * is that checkout's dist/, so the pack must take the build as it is and
 * never run the package's prepack (which rebuilds dist/ under the CLI).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PACK_DIR, packCheckout } from '../../src/cli/create/source-checkout.js';

const root = mkdtempSync(join(tmpdir(), 'chatkit-checkout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('packs the existing build without running prepack, to the same file for the same build', async () => {
  mkdirSync(join(root, 'dist', 'runtime'), { recursive: true });
  writeFileSync(join(root, 'dist', 'runtime', 'index.js'), 'export const built = true;\n');
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({
      name: 'create-chatkit-backend',
      version: '9.9.9',
      files: ['dist'],
      scripts: { prepack: `node -e "require('fs').writeFileSync('PREPACK_RAN', '')"` },
    }),
  );
  const first = await packCheckout(root, 'create-chatkit-backend', '9.9.9');
  expect(first).toMatch(new RegExp(`${PACK_DIR}/create-chatkit-backend-9\\.9\\.9-[0-9a-f]{12}\\.tgz$`));
  expect(existsSync(first)).toBe(true);
  expect(existsSync(join(root, 'PREPACK_RAN'))).toBe(false);
  expect(await packCheckout(root, 'create-chatkit-backend', '9.9.9')).toBe(first);
});

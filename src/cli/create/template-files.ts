/**
 * Reads template layers from disk. The only I/O of planning: everything
 * after this works on the returned bytes.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { packageRoot } from '../shared/own-package.js';

export interface TemplateFile {
  /** Path inside the layer, with `/` separators. */
  path: string;
  contents: Buffer;
}

/** `templates/` at the package root. */
export const TEMPLATES_DIR = join(packageRoot(), 'templates');

async function readLayer(layer: string, templatesDir = TEMPLATES_DIR): Promise<TemplateFile[]> {
  const root = join(templatesDir, layer);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile());
  return Promise.all(
    files.map(async (entry) => {
      const absolute = join(entry.parentPath, entry.name);
      return { path: relative(root, absolute).split(sep).join('/'), contents: await readFile(absolute) };
    }),
  );
}

export async function readLayers(layers: readonly string[], templatesDir = TEMPLATES_DIR): Promise<Map<string, TemplateFile[]>> {
  const read = await Promise.all(layers.map(async (layer) => [layer, await readLayer(layer, templatesDir)] as const));
  return new Map(read);
}

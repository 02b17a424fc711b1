/**
 * Answers → file plan. Pure: given the settings, the template layers'
 * bytes and the CLI's package.json, returns exactly what will be written.
 * `--dry-run` prints this plan; the writer executes it.
 */
import type { OwnPackageJson } from '../shared/own-package.js';
import { envExampleFile, envFile } from './env-file.js';
import { layersFor } from './layers.js';
import { generatedPackageJson } from './package-json.js';
import { renderTemplate } from './render.js';
import type { Settings } from './settings.js';
import type { TemplateFile } from './template-files.js';
import { templateView } from './template-view.js';

export interface PlannedFile {
  /** Relative to the project root, `/`-separated. */
  path: string;
  contents: Buffer;
  /** Which template layer it came from (`generated` for code-built files). */
  source: string;
}

export interface FilePlan {
  targetDir: string;
  /** Remove the directory's current contents first (`.git` is kept). */
  emptyFirst: boolean;
  files: PlannedFile[];
}

/** npm strips `.gitignore` from published packages, so templates carry `_gitignore`. */
const RENAMES: Record<string, string> = { _gitignore: '.gitignore' };

function outputPath(path: string): string {
  const withoutHbs = path.endsWith('.hbs') ? path.slice(0, -'.hbs'.length) : path;
  const parts = withoutHbs.split('/');
  const last = parts.pop()!;
  return [...parts, RENAMES[last] ?? last].join('/');
}

export function planFiles(settings: Settings, layers: ReadonlyMap<string, TemplateFile[]>, own: OwnPackageJson): FilePlan {
  const view = templateView(settings, own.version);
  const files = new Map<string, PlannedFile>();
  for (const layer of layersFor(settings.template, settings.frontend)) {
    const layerFiles = layers.get(layer);
    if (layerFiles === undefined) {
      throw new Error(`template layer "${layer}" was not loaded: pass planFiles the result of readLayers(layersFor(settings.template, settings.frontend))`);
    }
    for (const file of layerFiles) {
      const path = outputPath(file.path);
      if (!file.path.endsWith('.hbs')) {
        files.set(path, { path, contents: file.contents, source: layer });
        continue;
      }
      const rendered = renderTemplate(`${layer}/${file.path}`, file.contents.toString('utf8'), view);
      // A template that renders to nothing is a file this configuration does not need.
      if (rendered.trim() === '') files.delete(path);
      else files.set(path, { path, contents: Buffer.from(rendered), source: layer });
    }
  }
  const generated = (path: string, text: string) => files.set(path, { path, contents: Buffer.from(text), source: 'generated' });
  generated('package.json', `${JSON.stringify(generatedPackageJson(settings, own, [...files.values()]), null, 2)}\n`);
  generated('.env', envFile(settings));
  generated('.env.example', envExampleFile(settings));
  return {
    targetDir: settings.targetDir,
    emptyFirst: settings.emptyTargetFirst,
    // Code-point order: localeCompare would load ICU's collator, a tenth of a second of a scaffold.
    files: [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
  };
}

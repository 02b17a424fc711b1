/**
 * `.widget` files, as exported by ChatKit's widget builder: JSON with a
 * `version` ("1.0"), a `name`, a Jinja `template` that renders the widget's
 * JSON, and a `jsonSchema` describing the data it expects.
 *
 *   const template = WidgetTemplate.fromFile(new URL('./tasks.widget', import.meta.url));
 *   const widget = template.build({ items });
 *
 * Templates are rendered with nunjucks (Jinja-compatible), with undefined
 * values as errors (the reference uses Jinja's StrictUndefined), a `tojson`
 * filter, and Jinja's `value[start:end]` slices, which the builder's list
 * templates use and nunjucks lacks. The rendered tree is checked at build time.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nunjucks from 'nunjucks';
import type { WidgetRoot } from '../protocol/items.js';
import { assertWidgetRoot } from './validate.js';

export interface WidgetDefinition {
  version: string;
  name: string;
  template: string;
  jsonSchema?: Record<string, unknown>;
  [extra: string]: unknown;
}

const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
environment.addFilter('tojson', (value: unknown) => {
  // StrictUndefined semantics: a missing variable is an error, not `null`.
  if (value === undefined) throw new Error('tojson was given an undefined value: pass that field in the data given to build()');
  return JSON.stringify(value);
});
environment.addGlobal('__jinja_slice', jinjaSlice);

export class WidgetTemplate {
  readonly version: string;
  readonly name: string;
  /** The JSON Schema of the data `build` expects (informational). */
  readonly dataSchema: Record<string, unknown>;
  private readonly compiled: nunjucks.Template;

  constructor(definition: WidgetDefinition, private readonly source = 'widget definition') {
    if (typeof definition !== 'object' || definition === null) {
      throw new Error(`${source}: expected an object with version, name and template`);
    }
    if (definition.version !== '1.0') {
      throw new Error(`${source}: unsupported widget spec version ${JSON.stringify(definition.version)}; only "1.0" is supported`);
    }
    if (typeof definition.name !== 'string') throw new Error(`${source}: "name" must be a string`);
    if (typeof definition.template !== 'string') {
      throw new Error(`${source}: "template" must be a string (the Jinja template exported by the widget builder)`);
    }
    this.version = definition.version;
    this.name = definition.name;
    this.dataSchema = definition.jsonSchema ?? {};
    try {
      this.compiled = new nunjucks.Template(rewriteSlices(definition.template), environment, undefined, true);
    } catch (error) {
      throw new Error(`${source}: the template of widget "${this.name}" does not compile: ${messageOf(error)}`);
    }
  }

  /** Reads a `.widget` file. Relative paths resolve against the working directory; pass `new URL('./x.widget', import.meta.url)` to resolve against your module. */
  static fromFile(path: string | URL): WidgetTemplate {
    const file = typeof path === 'string' ? path : fileURLToPath(path);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read widget file ${file}: ${messageOf(error)}`);
    }
    return WidgetTemplate.fromString(text, file);
  }

  /** Parses the contents of a `.widget` file. */
  static fromString(text: string, source = 'widget definition'): WidgetTemplate {
    let definition: WidgetDefinition;
    try {
      definition = JSON.parse(text) as WidgetDefinition;
    } catch (error) {
      throw new Error(`${source}: not valid JSON (a .widget file is the JSON the widget builder exports): ${messageOf(error)}`);
    }
    return new WidgetTemplate(definition, source);
  }

  /** Renders the template with `data` and checks the result is a widget tree. */
  build(data: Record<string, unknown> = {}): WidgetRoot {
    let rendered: string;
    try {
      rendered = this.compiled.render(data);
    } catch (error) {
      const missing = this.missingRequiredFields(data);
      const hint = missing.length > 0 ? `; data is missing required field(s) ${missing.join(', ')}` : '';
      throw new Error(`widget "${this.name}" (${this.source}): rendering failed${hint}: ${messageOf(error)}`);
    }
    let widget: unknown;
    try {
      widget = JSON.parse(rendered);
    } catch (error) {
      throw new Error(
        `widget "${this.name}" (${this.source}): the template rendered invalid JSON (${messageOf(error)}): ${rendered.slice(0, 200)}`,
      );
    }
    assertWidgetRoot(widget, `widget "${this.name}"`);
    return widget;
  }

  private missingRequiredFields(data: Record<string, unknown>): string[] {
    const required = this.dataSchema.required;
    if (!Array.isArray(required)) return [];
    return required.filter((key): key is string => typeof key === 'string' && data[key] === undefined);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.replace(/\s+/g, ' ').trim() : String(error);
}

/** Jinja's `value[start:end]` on strings and lists (negative indexes count from the end). */
function jinjaSlice(value: unknown, start: number | null, end: number | null): unknown {
  if (typeof value === 'string' || Array.isArray(value)) return value.slice(start ?? undefined, end ?? undefined);
  return value;
}

const TAG = /(\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\})/g;
const SLICE = /([A-Za-z_][\w.]*)\[\s*(-?\d*)\s*:\s*(-?\d*)\s*\]/g;

/** Rewrites `name[a:b]` inside template tags into `__jinja_slice(name, a, b)`. */
function rewriteSlices(template: string): string {
  return template.replace(TAG, (tag) =>
    tag.replace(SLICE, (_match, name: string, start: string, end: string) =>
      `__jinja_slice(${name}, ${start === '' ? 'none' : start}, ${end === '' ? 'none' : end})`,
    ),
  );
}

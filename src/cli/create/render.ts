/**
 * Renders `*.hbs` template files with Handlebars in strict mode: a variable
 * the view does not define is an error naming the file, never an empty
 * string in generated code. HTML escaping is off: we generate code, not HTML.
 */
import Handlebars from 'handlebars';

export class TemplateRenderError extends Error {
  override name = 'TemplateRenderError';
}

export function renderTemplate(path: string, source: string, view: object): string {
  try {
    const template = Handlebars.compile(source, { strict: true, noEscape: true });
    return template(view);
  } catch (error) {
    throw new TemplateRenderError(`template ${path}: ${(error as Error).message}`);
  }
}

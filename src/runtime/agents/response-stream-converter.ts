/**
 * `ResponseStreamConverter`: the overridable conversions `streamAgentResponse`
 * uses for model output that needs translating into ChatKit shapes: citations
 * into annotations, generated images into URLs. Subclass it to, say, upload
 * generated images to your own storage instead of sending data URLs.
 */
import type { Annotation, AssistantMessageContent } from '../protocol/items.js';

/** Responses `file_citation`. */
export interface FileCitation {
  type: 'file_citation';
  file_id?: string;
  filename?: string | null;
  index?: number;
}
/** Responses `container_file_citation`. */
export interface ContainerFileCitation {
  type: 'container_file_citation';
  container_id?: string;
  file_id?: string;
  filename?: string | null;
  start_index?: number;
  end_index?: number;
}
/** Responses `url_citation` (Chat Completions nests the same fields under `url_citation`). */
export interface URLCitation {
  type: 'url_citation';
  url: string;
  title?: string;
  start_index?: number;
  end_index?: number;
}

export class ResponseStreamConverter {
  /**
   * How many partial images an image generation sends, to turn a partial
   * image's index into progress (0..1). Unset: progress is always 0.
   */
  partialImages: number | null;

  constructor(options: { partialImages?: number | null } = {}) {
    this.partialImages = options.partialImages ?? null;
  }

  /** The URL stored for a generated (or partial) image. A `data:` URL by default. */
  async base64ImageToUrl(_imageId: string, base64Image: string, _partialImageIndex?: number): Promise<string> {
    return `data:image/png;base64,${base64Image}`;
  }

  partialImageIndexToProgress(partialImageIndex: number): number {
    if (this.partialImages === null || this.partialImages <= 0) return 0;
    return Math.min(1, partialImageIndex / this.partialImages);
  }

  async fileCitationToAnnotation(citation: FileCitation): Promise<Annotation | null> {
    return citation.filename ? fileAnnotation(citation.filename, citation.index) : null;
  }

  async containerFileCitationToAnnotation(citation: ContainerFileCitation): Promise<Annotation | null> {
    return citation.filename ? fileAnnotation(citation.filename, citation.end_index) : null;
  }

  async urlCitationToAnnotation(citation: URLCitation): Promise<Annotation | null> {
    return {
      type: 'annotation',
      source: { type: 'url', url: citation.url, title: citation.title ?? citation.url },
      ...(citation.end_index != null ? { index: citation.end_index } : {}),
    };
  }
}

/** A file source, titled with its file name; `index` is where in the text it is cited, when known. */
function fileAnnotation(filename: string, index: number | null | undefined): Annotation {
  return { type: 'annotation', source: { type: 'file', filename, title: filename }, ...(index != null ? { index } : {}) };
}

/** Any provider annotation → a ChatKit annotation, or null when it has no ChatKit equivalent. */
export async function convertAnnotation(raw: unknown, converter: ResponseStreamConverter): Promise<Annotation | null> {
  if (typeof raw !== 'object' || raw === null) return null;
  const annotation = raw as { type?: unknown; url_citation?: unknown };
  switch (annotation.type) {
    case 'file_citation':
      return converter.fileCitationToAnnotation(raw as FileCitation);
    case 'container_file_citation':
      return converter.containerFileCitationToAnnotation(raw as ContainerFileCitation);
    case 'url_citation': {
      const citation = (typeof annotation.url_citation === 'object' && annotation.url_citation !== null
        ? { type: 'url_citation', ...annotation.url_citation }
        : raw) as URLCitation;
      return typeof citation.url === 'string' ? converter.urlCitationToAnnotation(citation) : null;
    }
    default:
      return null;
  }
}

/**
 * A message content part, in the Responses wire shape (`annotations` on the
 * part) or the Agents SDK's (`providerData.annotations`), as ChatKit content.
 * Refusals become plain text.
 */
export async function convertContent(part: unknown, converter: ResponseStreamConverter): Promise<AssistantMessageContent | null> {
  if (typeof part !== 'object' || part === null) return null;
  const p = part as { type?: unknown; text?: unknown; refusal?: unknown; annotations?: unknown; providerData?: { annotations?: unknown } };
  if (p.type === 'refusal') return outputText(typeof p.refusal === 'string' ? p.refusal : '');
  if (p.type !== 'output_text') return null;
  const rawAnnotations = Array.isArray(p.annotations) ? p.annotations : Array.isArray(p.providerData?.annotations) ? p.providerData.annotations : [];
  const annotations: Annotation[] = [];
  for (const raw of rawAnnotations) {
    const converted = await convertAnnotation(raw, converter);
    if (converted) annotations.push(converted);
  }
  return { annotations, text: typeof p.text === 'string' ? p.text : '', type: 'output_text' };
}

/** A ChatKit text content part with no annotations. */
export function outputText(text = ''): AssistantMessageContent {
  return { annotations: [], text, type: 'output_text' };
}

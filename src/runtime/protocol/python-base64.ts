/**
 * Base64 decoding exactly as the reference decodes `input.transcribe` audio
 * (Python's `base64.b64decode` with its defaults): characters outside the
 * standard alphabet are skipped (so URL-safe `-`/`_` are ignored, not
 * decoded), a complete pad sequence ends the data, and the data characters
 * must form whole quads unless padding ends them: unpadded input whose
 * length is not a multiple of 4 is "Incorrect padding", and one character
 * past a multiple of 4 can encode nothing. Non-ASCII text is refused, as
 * Python refuses it.
 */
import { ChatKitRequestError } from '../errors.js';

const ALPHABET = /[A-Za-z0-9+/]/;

export function decodePythonBase64(text: string, field: string): Uint8Array {
  if (!/^[\x00-\x7f]*$/.test(text)) {
    throw new ChatKitRequestError(`${field}: base64 must contain only ASCII characters`, { path: field });
  }
  let data = '';
  let quadPosition = 0;
  let pads = 0;
  for (const char of text) {
    if (char === '=') {
      if (quadPosition >= 2 && quadPosition + ++pads >= 4) return bytes(data);
      continue;
    }
    if (!ALPHABET.test(char)) continue;
    pads = 0;
    data += char;
    quadPosition = (quadPosition + 1) % 4;
  }
  if (quadPosition === 1) {
    throw new ChatKitRequestError(
      `${field}: invalid base64: the number of data characters (${data.length}) cannot be 1 more than a multiple of 4`,
      { path: field },
    );
  }
  if (quadPosition !== 0) {
    throw new ChatKitRequestError(`${field}: invalid base64: incorrect padding (pad the data with "=" to a multiple of 4 characters)`, {
      path: field,
    });
  }
  return bytes(data);
}

function bytes(data: string): Uint8Array {
  // `data` holds only alphabet characters, which Buffer decodes as Python does
  // (a trailing partial quad of 2 or 3 characters yields 1 or 2 bytes).
  return new Uint8Array(Buffer.from(data, 'base64'));
}

import { UPLOAD_MAX_BYTES, UPLOAD_TYPES } from "../../api/media";
import { bytes } from "../../lib/format";

/** A check before sending: the API accepts JPEG, PNG and WebP up to 20 MiB. */
export function checkFile(file: File): string | null {
  if (!(UPLOAD_TYPES as readonly string[]).includes(file.type)) {
    return "Choose a JPEG, PNG or WebP picture.";
  }
  if (file.size > UPLOAD_MAX_BYTES) {
    return `That picture is ${bytes(file.size)}; the limit is 20 MB.`;
  }
  if (file.size === 0) return "That file is empty.";
  return null;
}

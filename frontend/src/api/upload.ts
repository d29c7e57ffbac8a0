/**
 * Uploading a photo with progress. `fetch` cannot report upload progress, so this uses
 * XMLHttpRequest, with the same session handling as `api()`: the in-memory bearer token,
 * refreshed first when about to expire, and on a 401 one shared refresh and one retry.
 */
import { apiUrl } from "./config";
import { NetworkError, toApiError } from "./errors";
import { EXPIRY_MARGIN_MS, refreshAccessToken, sessionKnown } from "./refresh";
import { getAccessToken, hasFreshToken } from "./session";
import type { MediaAccepted } from "./types";

export interface UploadOptions {
  /** Called with the fraction sent so far, from 0 to 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  /** Where to send it: `/api/media` (a creator's photo, the default) or `/api/me/avatar`. */
  path?: "/api/media" | "/api/me/avatar";
}

function headersOf(xhr: XMLHttpRequest): Headers {
  const headers = new Headers();
  for (const line of xhr
    .getAllResponseHeaders()
    .trim()
    .split(/[\r\n]+/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return headers;
}

function abortError(): DOMException {
  return new DOMException("The upload was cancelled.", "AbortError");
}

/** One attempt: resolves with the answer as a `Response` (whatever its status). */
function send(
  file: File,
  token: string | null,
  { onProgress, signal, path = "/api/media" }: UploadOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const xhr = new XMLHttpRequest();
    xhr.open("POST", apiUrl(path));
    xhr.setRequestHeader("Accept", "application/json");
    if (token !== null) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    });
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.addEventListener("load", () => {
      done();
      const noBody = xhr.status === 204 || xhr.status === 205;
      resolve(
        new Response(noBody ? null : xhr.responseText, {
          status: xhr.status,
          headers: headersOf(xhr),
        }),
      );
    });
    xhr.addEventListener("error", () => {
      done();
      reject(new NetworkError());
    });
    xhr.addEventListener("abort", () => {
      done();
      reject(abortError());
    });
    const body = new FormData();
    body.append("file", file, file.name);
    xhr.send(body);
  });
}

/** Upload `file` as the multipart field `file`; resolves with `{id, status: "processing"}`. */
export async function uploadMedia(file: File, options: UploadOptions = {}): Promise<MediaAccepted> {
  await sessionKnown();
  let token = getAccessToken();
  if (token !== null && !hasFreshToken(EXPIRY_MARGIN_MS)) token = await refreshAccessToken(token);

  let response = await send(file, token, options);
  if (response.status === 401 && token !== null) {
    const fresh = await refreshAccessToken(token);
    if (fresh === null) throw await toApiError(response);
    options.onProgress?.(0);
    response = await send(file, fresh, options);
  }
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as MediaAccepted;
}

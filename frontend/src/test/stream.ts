/** A Server-Sent Events answer a test can write to, end, and count connections of. */
import type { RecordedRequest } from "./api";

export function sseServer() {
  const encoder = new TextEncoder();
  const open: ReadableStreamDefaultController<Uint8Array>[] = [];
  let connections = 0;
  return {
    /** The handler for `GET /api/notifications/stream`. */
    handler: (request: RecordedRequest): Response => {
      connections += 1;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          open.push(controller);
          controller.enqueue(encoder.encode("retry: 5000\n\n"));
          request.init.signal?.addEventListener("abort", () => {
            try {
              controller.error(new DOMException("The operation was aborted.", "AbortError"));
            } catch {
              // already closed
            }
          });
        },
      });
      return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
    },
    get connections() {
      return connections;
    },
    /** Write raw text to the newest connection. */
    write(text: string) {
      open.at(-1)?.enqueue(encoder.encode(text));
    },
    /** End the newest connection, as the server does when the access token expires. */
    end() {
      open.pop()?.close();
    },
  };
}

export function notificationEvent(notification: object): string {
  return `id: 1\nevent: notification\ndata: ${JSON.stringify(notification)}\n\n`;
}

/** Stand-ins for Web Locks and BroadcastChannel, shared by the "tabs" of one test. */
import { vi } from "vitest";

export class FakeBroadcastChannel extends EventTarget {
  static open = new Set<FakeBroadcastChannel>();
  onmessage: ((event: MessageEvent) => void) | null = null;
  private closed = false;

  constructor(readonly name: string) {
    super();
    FakeBroadcastChannel.open.add(this);
  }

  postMessage(data: unknown): void {
    if (this.closed) throw new DOMException("Channel is closed", "InvalidStateError");
    const copy: unknown = JSON.parse(JSON.stringify(data));
    for (const other of FakeBroadcastChannel.open) {
      if (other === this || other.name !== this.name) continue;
      // Like the real thing: delivered later, as a task, never to the sender.
      setTimeout(() => other.deliver(copy), 0);
    }
  }

  private deliver(data: unknown) {
    if (this.closed) return;
    const event = new MessageEvent("message", { data });
    this.onmessage?.(event);
    this.dispatchEvent(event);
  }

  close(): void {
    this.closed = true;
    FakeBroadcastChannel.open.delete(this);
  }
}

/** An exclusive lock per name, granted in request order. */
export class FakeLockManager {
  private tails = new Map<string, Promise<unknown>>();
  readonly granted: string[] = [];

  request<T>(
    name: string,
    optionsOrTask: LockOptions | ((lock: Lock | null) => Promise<T> | T),
    maybeTask?: (lock: Lock | null) => Promise<T> | T,
  ): Promise<T> {
    const task = typeof optionsOrTask === "function" ? optionsOrTask : maybeTask!;
    const previous = this.tails.get(name) ?? Promise.resolve();
    const run = previous.then(() => {
      this.granted.push(name);
      return task({ name, mode: "exclusive" });
    });
    this.tails.set(
      name,
      run.catch(() => undefined),
    );
    return run;
  }
}

/** Install both fakes for this test; returns the lock manager. */
export function installTabFakes(): FakeLockManager {
  const locks = new FakeLockManager();
  vi.stubGlobal("BroadcastChannel", FakeBroadcastChannel);
  Object.defineProperty(navigator, "locks", { value: locks, configurable: true });
  return locks;
}

export function removeTabFakes(): void {
  for (const channel of [...FakeBroadcastChannel.open]) channel.close();
  Reflect.deleteProperty(navigator, "locks");
}

/**
 * Cooperative scheduling of the TypeScript fallbacks: `due()` is true every ~15 ms, `pause()`
 * yields to the event loop (so timers, progress and AbortSignal work) and throws if aborted.
 * @internal
 * @module
 */
import { abortError } from '../errors';

const YIELD_EVERY_MS = 15;

export class Yielder {
  private last = Date.now();
  constructor(private readonly signal: AbortSignal | undefined) {}
  due(): boolean {
    return Date.now() - this.last >= YIELD_EVERY_MS;
  }
  async pause(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = Date.now();
    if (this.signal?.aborted) throw abortError(this.signal);
  }
}

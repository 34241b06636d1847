/**
 * Work that grows with the size of a library, done in slices. Such work is written once, as a generator
 * that `yield`s where it may pause (every few hundred entries), and run either to its end at once
 * (`drain`: the synchronous callers, tests) or paced (`paced`: paused whenever a slice has run `sliceMs`,
 * so that the server answers other requests meanwhile; issue 15: a 190 MB library held every request for 13 s).
 */

/** A computation of a `T` that may pause at each `yield`. */
export type Steps<T> = Generator<void, T, void>;

/** How long a slice of paced work runs before it lets other work in. */
export const SLICE_MS = 40;

/**
 * How long a slice of the work after a change runs (re-reading a changed library): the writer is typing and
 * completions must answer meanwhile within a few milliseconds (issue 17), so it lets them in more often.
 */
export const QUICK_SLICE_MS = 8;

/** How long a slice of idle-time work (formatting references ahead of hovers) runs before it looks again whether the server is idle. */
export const IDLE_SLICE_MS = 4;

/** How many items a loop handles between two places where it may pause. */
export const ITEMS_PER_STEP = 256;

/** Runs the steps to their end without pausing. */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs the steps, letting the event loop run other work whenever a slice has taken `sliceMs`. `pause` is how:
 * by default one turn of the event loop; background work that must never delay a request waits for idle time.
 */
export async function paced<T>(steps: Steps<T>, sliceMs = SLICE_MS, pause: () => Promise<void> = nextTurn): Promise<T> {
  let sliceStart = Date.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (Date.now() - sliceStart >= sliceMs) {
      await pause();
      sliceStart = Date.now();
    }
  }
}

/** Resolves after the event loop has handled what is pending (incoming requests first). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** `f` of each item, in order, pausing every `ITEMS_PER_STEP` items. */
export function* eachPaced<T>(items: Iterable<T>, f: (item: T) => void): Steps<void> {
  let n = 0;
  for (const item of items) {
    f(item);
    if (++n % ITEMS_PER_STEP === 0) yield;
  }
}

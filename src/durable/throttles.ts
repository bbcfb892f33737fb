import { type Guess, type GuessLimiter, tooManyGuesses } from "../domain/auth/guesses";
import { type Throttle, throttleFor } from "./throttle";

/** Guesses counted in the Throttle object of each name. */
export class Throttles implements GuessLimiter {
  constructor(private readonly namespace: DurableObjectNamespace<Throttle>) {}

  async begin(guesses: readonly Guess[]): Promise<void> {
    const decisions = await Promise.all(guesses.map((guess) => throttleFor(this.namespace, guess.name).attempt({ free: guess.free })));
    const waits = decisions.flatMap((decision) => (decision.allowed ? [] : [decision.retryAfter]));
    if (waits.length > 0) throw tooManyGuesses(Math.max(...waits));
  }

  async succeeded(guesses: readonly Guess[]): Promise<void> {
    await Promise.all(guesses.map((guess) => throttleFor(this.namespace, guess.name).succeeded(guess.onSuccess)));
  }
}

import { SwitchyardError } from "./switchyard-error.js";

/** The abort reason an attempt sees when another attempt of the same call won. */
export class HedgeLostError extends SwitchyardError {
  readonly winner: string;

  constructor(winner: string) {
    super("hedge_lost", `another attempt (${winner}) answered first`);
    this.winner = winner;
  }
}

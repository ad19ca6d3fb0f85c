/** The shortest repetition of the partial text's end that is trimmed from a continuation's start. */
export const MIN_OVERLAP_CHARS = 6;

/** How far back in the partial text a repetition is looked for. */
export const MAX_OVERLAP_CHARS = 400;

/**
 * Joins a continuation's text to the partial text the client already has, so the seam carries no
 * repeated words. The continuation's first characters are held until it is clear how much of them
 * repeats the end of the partial text: the longest prefix of the continuation that is also a
 * suffix of the partial text, of at least `MIN_OVERLAP_CHARS` characters and starting on a word
 * boundary, is dropped. Whitespace the client already has at the seam is not sent twice either.
 * Once the seam is decided, text passes straight through.
 */
export class SeamJoiner {
  private held = "";
  private decided = false;
  private readonly tail: string;

  constructor(partial: string) {
    this.tail = partial.slice(-MAX_OVERLAP_CHARS);
  }

  /** Characters trimmed at the seam so far. */
  trimmed = 0;

  /** The text to send for one continuation delta ("" while the seam is undecided). */
  push(text: string): string {
    if (this.decided) return text;
    this.held += text;
    if (this.held.length < MAX_OVERLAP_CHARS && this.tail.includes(this.held)) return "";
    return this.flush();
  }

  /** Decides the seam with what is held (the continuation ended or moved on to other output). */
  flush(): string {
    if (this.decided) return "";
    this.decided = true;
    const joined = joinAtSeam(this.tail, this.held);
    this.trimmed = this.held.length - joined.length;
    this.held = "";
    return joined;
  }
}

/** `continuation` with its repetition of the end of `partial` removed (see `SeamJoiner`). */
export function joinAtSeam(partial: string, continuation: string): string {
  let text = continuation;
  const ending = /\s*$/.exec(partial)?.[0] ?? "";
  const opening = /^\s*/.exec(text)?.[0] ?? "";
  if (ending !== "" && opening !== "") {
    // The client has the seam's whitespace already (a prefill is sent without it).
    if (opening.startsWith(ending)) text = text.slice(ending.length);
    else if (ending.startsWith(opening)) text = text.slice(opening.length);
  }
  const limit = Math.min(partial.length, text.length);
  for (let length = limit; length >= MIN_OVERLAP_CHARS; length--) {
    const start = partial.length - length;
    if (!partial.endsWith(text.slice(0, length))) continue;
    if (start === 0 || /[\s\p{P}]/u.test(partial[start - 1] ?? "") || /^\s/.test(text)) {
      return text.slice(length);
    }
  }
  return text;
}

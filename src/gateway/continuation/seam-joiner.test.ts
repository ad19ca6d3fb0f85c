import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinAtSeam, MIN_OVERLAP_CHARS, SeamJoiner } from "./seam-joiner.js";

/** Feeds `continuation` to a joiner in the given pieces, as a stream would. */
function joined(partial: string, pieces: readonly string[]): string {
  const joiner = new SeamJoiner(partial);
  return pieces.map((piece) => joiner.push(piece)).join("") + joiner.flush();
}

/** Splits `text` at the given cut points. */
function split(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const word = fc.stringMatching(/^[a-z]{1,8}$/);
const sentence = fc.array(word, { minLength: 3, maxLength: 30 }).map((words) => words.join(" "));

describe("joinAtSeam", () => {
  it("drops a repetition of the partial text's last words", () => {
    expect(joinAtSeam("The quick brown fox", " brown fox jumps")).toBe(" jumps");
    expect(joinAtSeam("The quick brown fox", "quick brown fox jumps")).toBe(" jumps");
  });

  it("keeps a continuation that does not repeat anything", () => {
    expect(joinAtSeam("The quick brown fox", " jumps over")).toBe(" jumps over");
  });

  it("keeps repeats shorter than the minimum, and ones that start inside a word", () => {
    expect(joinAtSeam("I saw the", " the cat")).toBe(" the cat");
    expect(joinAtSeam("a catalogue", "alogue and more")).toBe("alogue and more");
  });

  it("does not send the seam's whitespace twice (a prefill goes without it; the model re-emits it)", () => {
    expect(joinAtSeam("Hello ", " world")).toBe("world");
    expect(joinAtSeam("First.\n", "\n\nSecond")).toBe("\nSecond");
    expect(joinAtSeam("First.\n\n", "\nSecond")).toBe("Second");
    expect(joinAtSeam("First. ", "\n\nSecond")).toBe("\n\nSecond");
  });
});

describe("SeamJoiner", () => {
  it("the client's text is the whole answer however the continuation repeats and is chunked", () => {
    fc.assert(
      fc.property(
        sentence,
        sentence,
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (head, tail, overlapSeed, cuts) => {
          const words = head.split(" ");
          const count = overlapSeed % words.length;
          let repeated = count > 0 ? ` ${words.slice(-count).join(" ")}` : "";
          if (repeated.length < MIN_OVERLAP_CHARS) repeated = "";
          const continuation = `${repeated} ${tail}`;
          expect(head + joined(head, split(continuation, cuts))).toBe(`${head} ${tail}`);
        },
      ),
    );
  });

  it("never holds back more than the overlap window", () => {
    const joiner = new SeamJoiner("abc ".repeat(200));
    let out = "";
    for (let index = 0; index < 200; index++) out += joiner.push("abc ");
    expect(out.length).toBeGreaterThan(0);
  });

  it("passes text straight through once the seam is decided", () => {
    const joiner = new SeamJoiner("one two three");
    expect(joiner.push(" four")).toBe(" four");
    expect(joiner.push(" five")).toBe(" five");
  });
});

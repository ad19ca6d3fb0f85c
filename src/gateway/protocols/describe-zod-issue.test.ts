import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodIssue } from "./describe-zod-issue.js";

const part = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image"), url: z.string() }),
]);
const schema = z.object({
  name: z.string(),
  count: z.number().int().min(1).max(5),
  tags: z.array(z.string()).min(1),
  mode: z.union([z.enum(["a", "b"]), z.object({ custom: z.string() })]),
  content: z.union([z.string(), z.array(part)]),
});
const valid = { name: "n", count: 2, tags: ["t"], mode: "a", content: "x" };

function describeFirst(value: unknown) {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) throw new Error("expected a failure");
  const issue = result.error.issues[0];
  if (issue === undefined) throw new Error("no issue");
  return describeZodIssue(issue);
}

describe("describeZodIssue", () => {
  it.each([
    [{ ...valid, name: undefined }, ["name"], "missing_required_parameter", "is required"],
    [{ ...valid, name: 3 }, ["name"], "invalid_type", "expected a string, got an integer"],
    [{ ...valid, count: 1.5 }, ["count"], "invalid_type", "expected an integer, got a number"],
    [{ ...valid, count: 9 }, ["count"], "invalid_value", "must be at most 5"],
    [{ ...valid, tags: [] }, ["tags"], "invalid_value", "must have at least 1 item(s)"],
    [{ ...valid, mode: "c" }, ["mode"], "invalid_value", "expected 'a', 'b' or an object, got 'c'"],
    [{ ...valid, mode: { custom: 1 } }, ["mode", "custom"], "invalid_type", "expected a string"],
    [
      { ...valid, content: null },
      ["content"],
      "invalid_type",
      "expected a string or an array, got null",
    ],
    [
      { ...valid, content: [{ type: "video" }] },
      ["content", 0, "type"],
      "invalid_value",
      "expected one of 'text', 'image', got 'video'",
    ],
    [
      { ...valid, content: [{ url: "u" }] },
      ["content", 0, "type"],
      "missing_required_parameter",
      "is required",
    ],
    [
      { ...valid, content: [{ type: "image" }] },
      ["content", 0, "url"],
      "missing_required_parameter",
      "is required",
    ],
  ])("%j", (value, path, code, problem) => {
    const description = describeFirst(value);
    expect(description.path).toEqual(path);
    expect(description.code).toBe(code);
    expect(description.problem).toContain(problem);
  });
});

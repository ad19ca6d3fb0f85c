import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseReportingInput } from "./parse-reporting-input.js";

const schema = z.object({ model: z.string(), temperature: z.number().optional() });

describe("parseReportingInput", () => {
  it("returns what safeParse returns for a valid body", () => {
    const body = { model: "smart", temperature: 0.2 };
    expect(parseReportingInput(schema, body)).toEqual(schema.safeParse(body));
  });

  it("reports a refused body's issues with the value received", () => {
    const parsed = parseReportingInput(schema, { model: "smart", temperature: "hot" });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["temperature"], input: "hot" });
  });
});

/**
 * A zod issue from the Messages request schema as the vendor's validation error: the message is
 * `<dotted.path>: <problem>` ("max_tokens: Field required", "messages.0.content.1.source.type:
 * expected one of 'base64', 'url', got 'file'"), with no separate param field.
 */
import type { z } from "zod";
import { describeZodIssue } from "../describe-zod-issue.js";
import { GatewayRequestError } from "../gateway-request-error.js";

export function requestErrorFromIssue(issue: z.core.$ZodIssue | undefined): GatewayRequestError {
  if (issue === undefined) return new GatewayRequestError("invalid request body", { status: 400 });
  const { path, code, problem } = describeZodIssue(issue);
  const param = path.map(String).join(".");
  const text = code === "missing_required_parameter" ? "Field required" : problem;
  if (param === "") {
    return new GatewayRequestError(`invalid request body: ${text}`, {
      status: 400,
      code: "invalid_json",
    });
  }
  return new GatewayRequestError(`${param}: ${text}`, { status: 400, param, code });
}

/** A 400 for a semantic check the schema cannot express. */
export function invalidParam(param: string, problem: string): GatewayRequestError {
  return new GatewayRequestError(`${param}: ${problem}`, {
    status: 400,
    param,
    code: "invalid_value",
  });
}

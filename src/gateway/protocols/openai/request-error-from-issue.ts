/**
 * A zod issue from a request schema as the vendor's validation error: `param` spelled
 * `messages[0].content[1].image_url`, and messages like "Missing required parameter: 'model'." or
 * "Invalid value for 'temperature': must be at most 2.".
 */
import type { z } from "zod";
import { describeZodIssue } from "../describe-zod-issue.js";
import { GatewayRequestError } from "../gateway-request-error.js";

export function requestErrorFromIssue(issue: z.core.$ZodIssue | undefined): GatewayRequestError {
  if (issue === undefined) {
    return new GatewayRequestError("Invalid request body.", { status: 400 });
  }
  const { path, code, problem } = describeZodIssue(issue);
  const param = formatParam(path);
  if (param === "") {
    return new GatewayRequestError(`Invalid request body: ${problem}.`, {
      status: 400,
      code: "invalid_json",
    });
  }
  const message =
    code === "missing_required_parameter"
      ? `Missing required parameter: '${param}'.`
      : `Invalid ${code === "invalid_type" ? "type" : "value"} for '${param}': ${problem}.`;
  return new GatewayRequestError(message, { status: 400, param, code });
}

/** `["messages", 0, "content"]` -> `messages[0].content`. */
export function formatParam(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** A 400 for a semantic check the schema cannot express. */
export function invalidParam(param: string, message: string): GatewayRequestError {
  return new GatewayRequestError(message, { status: 400, param, code: "invalid_value" });
}

/**
 * Anthropic's models on Bedrock: `anthropic.claude-...`, a cross-region inference profile
 * (`us.anthropic....`, `global.anthropic....`) or an ARN naming one of those. An application
 * inference profile's ARN names no model and is not recognised.
 */
const ANTHROPIC_MODEL = /(?:^|[./])anthropic\./;

export function isAnthropicModel(model: string): boolean {
  return ANTHROPIC_MODEL.test(model);
}

/**
 * The wire family of a Bedrock model's reasoning (`ReasoningPart.origin`): Claude's signed thinking
 * is Anthropic's wherever Claude runs (its signatures replay on Anthropic's API and Vertex too);
 * other families' reasoning is Bedrock's own.
 */
export function reasoningOrigin(model: string): string {
  return isAnthropicModel(model) ? "anthropic" : "bedrock";
}

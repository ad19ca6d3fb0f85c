/** The environment interpolation reads from; `undefined` means unset. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface InterpolationResult {
  /** The text with every reference replaced (an unset variable without a default becomes ""). */
  value: string;
  /** Every variable referenced, in order of appearance. */
  variables: string[];
  /** Variables referenced without a default and not set. */
  unset: string[];
  /** True when the whole text is exactly one reference, like `${OPENAI_API_KEY}`. */
  wholeReference: boolean;
  /** Malformed references, by offset into the text. */
  errors: { offset: number; message: string }[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in `text`. `${NAME:-default}` takes the default when NAME
 * is unset or empty, as in a shell; `${NAME}` takes NAME's value, even when empty. `$${` stands for a
 * literal `${`. The default is literal text up to the first `}`; references do not nest.
 */
export function interpolateEnv(text: string, env: Environment): InterpolationResult {
  const result: InterpolationResult = {
    value: "",
    variables: [],
    unset: [],
    wholeReference: false,
    errors: [],
  };
  let references = 0;
  let index = 0;
  while (index < text.length) {
    if (text.startsWith("$${", index)) {
      result.value += "${";
      index += 3;
      continue;
    }
    if (!text.startsWith("${", index)) {
      result.value += text[index];
      index += 1;
      continue;
    }
    const close = text.indexOf("}", index + 2);
    if (close === -1) {
      result.errors.push({ offset: index, message: "unclosed ${ (write $${ for a literal ${)" });
      result.value += text.slice(index);
      break;
    }
    const inner = text.slice(index + 2, close);
    const separator = inner.indexOf(":-");
    const name = separator === -1 ? inner : inner.slice(0, separator);
    if (!NAME.test(name)) {
      result.errors.push({
        offset: index,
        message: `malformed variable reference: expected \${NAME} or \${NAME:-default}`,
      });
    } else {
      references += 1;
      result.variables.push(name);
      const set = env[name];
      if (separator !== -1) {
        result.value += set === undefined || set === "" ? inner.slice(separator + 2) : set;
      } else if (set === undefined) {
        result.unset.push(name);
      } else {
        result.value += set;
      }
      if (index === 0 && close === text.length - 1 && references === 1) {
        result.wholeReference = true;
      }
    }
    index = close + 1;
  }
  return result;
}

/** Makes `text` survive interpolation unchanged: every `${` becomes `$${`. */
export function escapeInterpolation(text: string): string {
  return text.replaceAll("${", () => "$${");
}

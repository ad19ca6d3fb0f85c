/** A response body's bytes as text: UTF-8, a leading BOM dropped (as `TextDecoder` does). */
export function bodyText(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

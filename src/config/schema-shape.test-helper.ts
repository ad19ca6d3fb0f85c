/** The parts of a zod schema the shape walk reads. */
export interface SchemaNode {
  shape?: Record<string, unknown>;
  def?: {
    type?: string;
    defaultValue?: unknown;
    innerType?: unknown;
    in?: unknown;
    out?: unknown;
    element?: unknown;
    valueType?: unknown;
    options?: unknown[];
  };
}

/** The shape of an object schema, looking through refinements, transforms, unions and wrappers. */
export function shapeOf(schema: unknown): Record<string, unknown> {
  const queue: unknown[] = [schema];
  while (queue.length > 0) {
    const current = queue.shift() as SchemaNode;
    if (current.shape !== undefined) return current.shape;
    const def = current.def ?? {};
    const next = [
      def.innerType,
      def.in,
      def.out,
      def.element,
      def.valueType,
      ...(def.options ?? []),
    ];
    for (const schema of next) {
      if (schema !== undefined && schema !== null && typeof schema === "object") queue.push(schema);
    }
  }
  throw new Error("not an object schema");
}

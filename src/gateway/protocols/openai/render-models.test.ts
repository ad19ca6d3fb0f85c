import { describe, expect, it } from "vitest";
import { renderModels } from "./render-models.js";

describe("renderModels", () => {
  it("renders the list object with defaults", () => {
    expect(
      renderModels(
        [
          { id: "fast", ownedBy: undefined },
          { id: "smart", ownedBy: "acme", created: 1686935002 },
        ],
        { created: 1700000000 },
      ),
    ).toEqual({
      object: "list",
      data: [
        { id: "fast", object: "model", created: 1700000000, owned_by: "switchyard" },
        { id: "smart", object: "model", created: 1686935002, owned_by: "acme" },
      ],
    });
  });
});

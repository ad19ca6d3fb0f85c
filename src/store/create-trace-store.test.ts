import { describe, expect, it } from "vitest";
import { createTraceStore, sqliteFile } from "./create-trace-store.js";

describe("createTraceStore", () => {
  it("reads the file of a sqlite: url, relative to the base folder", () => {
    expect(sqliteFile("sqlite:./data/traces.db", "/srv/app")).toBe("/srv/app/data/traces.db");
    expect(sqliteFile("sqlite:traces.db", "/srv/app")).toBe("/srv/app/traces.db");
    expect(sqliteFile("sqlite:/var/lib/switchyard.db", "/srv/app")).toBe("/var/lib/switchyard.db");
    expect(sqliteFile("sqlite:///var/lib/switchyard.db", "/srv/app")).toBe(
      "/var/lib/switchyard.db",
    );
    expect(sqliteFile("sqlite::memory:", "/srv/app")).toBe(":memory:");
    expect(() => sqliteFile("sqlite:", "/srv")).toThrow("a sqlite: database url needs a file");
  });

  it("picks the store by the url, connecting to nothing yet", async () => {
    const sqlite = createTraceStore({ url: "sqlite::memory:" });
    const postgres = createTraceStore({ url: "postgresql://user:secret@127.0.0.1:1/none" });
    expect([sqlite.kind, postgres.kind]).toEqual(["sqlite", "postgres"]);
    await Promise.all([sqlite.close(), postgres.close()]);
  });

  it("refuses another scheme without echoing the rest of the url", () => {
    expect(() => createTraceStore({ url: "mysql://root:secret@db/traces" })).toThrow(
      "database url must start with sqlite: or postgres://, got 'mysql:...'",
    );
  });
});

import { describe, expect, it } from "vitest";
import { FakeClock } from "../testing/fake-clock.js";
import { AdminSessions, readCookie, SESSION_COOKIE, sessionCookie } from "./admin-sessions.js";

describe("AdminSessions", () => {
  it("makes random tokens that stay valid until they expire", async () => {
    const clock = new FakeClock(0);
    const sessions = new AdminSessions({ clock, ttlMs: 1000 });
    const token = sessions.create("admin-key");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(sessions.create("admin-key")).not.toBe(token);
    expect(sessions.valid(token, "admin-key")).toBe(true);
    await clock.advance(999);
    expect(sessions.valid(token, "admin-key")).toBe(true);
    await clock.advance(1);
    expect(sessions.valid(token, "admin-key")).toBe(false);
  });

  it("ends every session when the admin key changes, and on revoke", () => {
    const sessions = new AdminSessions({ clock: new FakeClock(0) });
    const token = sessions.create("old-key");
    expect(sessions.valid(token, "new-key")).toBe(false);
    expect(sessions.valid(token, undefined)).toBe(false);
    expect(sessions.valid(undefined, "old-key")).toBe(false);
    expect(sessions.valid("made-up", "old-key")).toBe(false);
    sessions.revoke(token);
    expect(sessions.valid(token, "old-key")).toBe(false);
  });

  it("keeps at most maxSessions, dropping the oldest", () => {
    const sessions = new AdminSessions({ clock: new FakeClock(0), maxSessions: 2 });
    const first = sessions.create("k");
    const second = sessions.create("k");
    const third = sessions.create("k");
    expect([first, second, third].map((token) => sessions.valid(token, "k"))).toEqual([
      false,
      true,
      true,
    ]);
  });
});

describe("session cookies", () => {
  it("are HttpOnly and SameSite=Strict, Secure over HTTPS, and cleared with Max-Age=0", () => {
    expect(sessionCookie("abc", { maxAgeMs: 60_000, secure: false })).toBe(
      `${SESSION_COOKIE}=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=60`,
    );
    expect(sessionCookie("abc", { maxAgeMs: 60_000, secure: true })).toMatch(/; Secure$/);
    expect(sessionCookie(undefined, { maxAgeMs: 60_000, secure: false })).toContain("Max-Age=0");
  });

  it("are read from a Cookie header among others", () => {
    expect(readCookie(`a=1; ${SESSION_COOKIE}=tok-en; b=2`, SESSION_COOKIE)).toBe("tok-en");
    expect(readCookie("a=1", SESSION_COOKIE)).toBeUndefined();
    expect(readCookie(undefined, SESSION_COOKIE)).toBeUndefined();
  });
});

/**
 * The dashboard in a real browser (Debian's headless Chromium, driven by playwright-core) against a
 * gateway over mock providers. Screenshots go to artifacts/ (`scripts/ensure-system.sh` installs
 * Chromium on a fresh machine).
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KEY, type DashboardGateway, startDashboardGateway } from "./dashboard-gateway.js";
import { CHROMIUM_PATH, launchChromium } from "./launch-chromium.js";

const ARTIFACTS = "artifacts";
const SERVER_ERROR = { error: { kind: "server" as const } };

let running: DashboardGateway;
let browser: { context: BrowserContext; close(): Promise<void> };
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: run scripts/ensure-system.sh (npm test does)`);
  }
  running = await startDashboardGateway();
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** Some ordinary traffic: both models, both clients, a few streams. */
async function traffic(count: number): Promise<void> {
  for (let index = 0; index < count; index++) {
    const model = index % 3 === 2 ? "fast" : "smart";
    const status = (await running.chat(model, index % 2 === 0 ? "acme" : "globex", index % 4 === 3))
      .status;
    expect(status).toBe(200);
  }
}

describe("the dashboard in a browser", () => {
  it("is refused without the admin key, and a wrong key is refused at sign-in", async () => {
    const response = await page.goto(`${running.url}/ui`);
    expect(response?.status()).toBe(401);
    await expect(page.locator("#key").isVisible()).resolves.toBe(true);
    expect(await page.locator("#target-list").count()).toBe(0);
    await page.fill("#key", "not-the-admin-key");
    const refused = await Promise.all([
      page.waitForNavigation(),
      page.click("button[type=submit]"),
    ]);
    expect(refused[0]?.status()).toBe(401);
    await expect(page.locator(".banner").textContent()).resolves.toContain("not the admin key");
  });

  it("loads with the admin key and shows a row per provider key", async () => {
    await traffic(12);
    await page.goto(`${running.url}/ui?key=${ADMIN_KEY}`);
    // The key leaves the address bar: a session cookie stands for it from here on.
    expect(new URL(page.url()).search).toBe("");
    await page.waitForSelector('[data-target="primary/gpt-4o"]');
    const rows = await page
      .locator(".target")
      .evaluateAll((elements) => elements.map((element) => element.getAttribute("data-target")));
    expect(rows).toEqual([
      "primary/gpt-4o",
      "backup/claude-sonnet-4-5",
      "spare#team-a/gpt-4o-mini",
      "spare#team-b/gpt-4o-mini",
      "backup/claude-haiku-4-5",
    ]);
    await page.waitForSelector('#live-status[data-state="live"]');
    await page.waitForSelector("tr.req");
    expect(await page.locator(".card-value").first().textContent()).toBe("12");
  });

  it("shows a fallback in the live feed and the primary's circuit open when the primary fails", async () => {
    expect(await page.locator(".feed-item").count()).toBe(0);
    running.primary.setDefaultFor("openai.chat", SERVER_ERROR);
    await traffic(6);
    const fallback = page.locator('.feed-item[data-type="fallback"]').first();
    await fallback.waitFor({ timeout: 5000 });
    expect(await fallback.textContent()).toContain("fell over to backup/claude-sonnet-4-5");
    await page
      .locator('.feed-item[data-type="circuit"][data-state="open"]')
      .waitFor({ timeout: 5000 });
    const badge = page.locator('[data-target="primary/gpt-4o"] .badge');
    await page
      .locator('[data-target="primary/gpt-4o"] .badge[data-circuit="open"]')
      .waitFor({ timeout: 5000 });
    expect(await badge.textContent()).toBe("circuit open");
  });

  it("expands a request to its attempt chain", async () => {
    // The list refreshes after each feed event; the fallback requests carry two attempts.
    const row = page.locator("tr.req", { has: page.locator("td.tries", { hasText: "2" }) }).first();
    await row.waitFor({ timeout: 5000 });
    await row.click();
    const steps = page.locator("tr.req-detail .chain .step");
    await steps.nth(1).waitFor();
    expect(await steps.count()).toBe(2);
    expect(await steps.nth(0).getAttribute("data-outcome")).toBe("failure");
    expect(await steps.nth(0).textContent()).toContain("failed: transient (500)");
    expect(await steps.nth(1).getAttribute("data-outcome")).toBe("success");
    expect(await steps.nth(1).textContent()).toContain("backup/claude-sonnet-4-5");
    expect(await row.getAttribute("aria-expanded")).toBe("true");
  });

  it("shows usage by client and model, and the config redacted", async () => {
    await page.click("#usage-1h");
    await page.waitForSelector('#usage-1h[aria-pressed="true"]');
    const clients = await page.locator("#usage-client .bar-label").allTextContents();
    expect(clients.sort()).toEqual(["acme", "globex"]);
    await page.click("#config summary");
    const config = (await page.locator("#config-text").textContent()) ?? "";
    expect(config).toContain("***redacted***");
    expect(config).not.toContain(ADMIN_KEY);
    await page.click("#config summary");
  });

  it("stays readable on a narrow window and saves screenshots", async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // The traffic is over: wait for a refresh that shows nothing in flight.
    const inFlight = page.locator('[data-stat="in flight"] .t-value');
    await expect
      .poll(async () => (await inFlight.allTextContents()).every((text) => text.startsWith("0")), {
        timeout: 8000,
        interval: 200,
      })
      .toBe(true);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.evaluate("window.scrollTo(0, 0)");
    await page.screenshot({ path: `${ARTIFACTS}/dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(100);
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - window.innerWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-narrow.png`, fullPage: true });
    for (const file of ["dashboard.png", "dashboard-narrow.png"]) {
      expect(statSync(`${ARTIFACTS}/${file}`).size).toBeGreaterThan(20_000);
    }
    // Only the sign-in page's deliberate 401s may show up as failed loads.
    expect(pageErrors.filter((error) => !error.includes("status of 401"))).toEqual([]);
  });
});

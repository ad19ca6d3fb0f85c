/**
 * The slice of the browser's DOM the dashboard uses, typed here so the client code type-checks
 * under the project's Node-only `lib` (no `dom` lib, which would leak browser globals into server
 * code). Client files reach the globals with `declare const document: DashboardDocument`, which
 * emits nothing.
 */

export interface DashboardEvent {
  readonly target: DashboardElement | null;
  readonly key?: string;
  preventDefault(): void;
}

export interface DashboardClassList {
  add(...tokens: string[]): void;
  remove(...tokens: string[]): void;
  toggle(token: string, force?: boolean): boolean;
  contains(token: string): boolean;
}

export interface DashboardElement {
  textContent: string | null;
  className: string;
  hidden: boolean;
  title: string;
  /** Inputs and selects. */
  value: string;
  /** Buttons and inputs. */
  disabled: boolean;
  readonly classList: DashboardClassList;
  readonly dataset: Record<string, string | undefined>;
  readonly childElementCount: number;
  readonly lastElementChild: DashboardElement | null;
  readonly style: { setProperty(name: string, value: string): void };
  setAttribute(name: string, value: string): void;
  getAttribute(name: string): string | null;
  removeAttribute(name: string): void;
  focus(): void;
  /** Inputs: selects their text. */
  select(): void;
  append(...nodes: (DashboardElement | string)[]): void;
  replaceChildren(...nodes: (DashboardElement | string)[]): void;
  prepend(...nodes: (DashboardElement | string)[]): void;
  addEventListener(type: string, listener: (event: DashboardEvent) => void): void;
  querySelector(selector: string): DashboardElement | null;
  closest(selector: string): DashboardElement | null;
  remove(): void;
}

export interface DashboardDocument {
  getElementById(id: string): DashboardElement | null;
  createElement(tag: string): DashboardElement;
  createElementNS(namespace: string, tag: string): DashboardElement;
  readonly visibilityState: string;
  addEventListener(type: string, listener: () => void): void;
}

export interface DashboardMessageEvent {
  readonly data: string;
}

export interface DashboardEventSource {
  readonly readyState: number;
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  addEventListener(type: string, listener: (event: DashboardMessageEvent) => void): void;
  close(): void;
}

export type DashboardEventSourceConstructor = new (url: string) => DashboardEventSource;

export interface DashboardLocation {
  readonly search: string;
  readonly pathname: string;
  reload(): void;
  assign(url: string): void;
}

export interface DashboardNavigator {
  readonly clipboard?: { writeText(text: string): Promise<void> };
}

/**
 * What the UI preload reports about the page's content area (on `lab:ui-content-bounds`): where it
 * is, and whether a popup the page draws (`[data-popup]`: the Tours menu, the omnibox's error)
 * reaches into it. In Electron a tab is a native WebContentsView that paints above the UI page, so
 * the browser process hides the selected tab's view while a popup is over it; otherwise the popup
 * would look dead and clicks on it would land in the tab. (In the Chromium shell tabs are iframes
 * of the page, and the page's z-order already puts popups on top.) Pure: the preload measures.
 */

/** The attribute the browser UI puts on everything it draws over the content area. */
export const POPUP_SELECTOR = '[data-popup]';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ContentAreaReport extends Rect {
  /** A popup overlaps the content area. */
  readonly covered: boolean;
}

/** True when the two rects share some area (touching edges do not count). */
export function overlaps(a: Rect, b: Rect): boolean {
  return (
    a.width > 0 &&
    a.height > 0 &&
    b.width > 0 &&
    b.height > 0 &&
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

export function contentAreaReport(container: Rect, popups: readonly Rect[]): ContentAreaReport {
  const { x, y, width, height } = container;
  return { x, y, width, height, covered: popups.some((popup) => overlaps(popup, container)) };
}

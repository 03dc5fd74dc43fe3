// Tells the browser when a frame showing an overlay has been painted, for experiments that time
// "crash to sad tab painted". requestAnimationFrame runs before the frame is drawn; a task queued
// from it runs after that frame was handed to the compositor, so that is the moment reported.
import { useEffect } from 'react';
import type { PaintedOverlayKind } from '../connection/browser-connection.ts';
import { useBrowserClient } from '../connection/use-browser.ts';

/** Reports `what` over `tabId` as painted once per `occurrence` (e.g. the crash's time). */
export function usePaintedReport(tabId: string, what: PaintedOverlayKind, occurrence: number | string | undefined) {
  const client = useBrowserClient();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => client.notifyPainted(tabId, what), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [client, tabId, what, occurrence]);
}

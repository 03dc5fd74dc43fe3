// What the tab preload accepts with a port from the browser process (Electron shell): a delivery
// for its own document only. The preload itself runs in Electron only; this is its decision.
import { describe, expect, it } from 'vitest';
import { isPortDelivery, isPortDeliveryFor, newDocumentToken, portDelivery } from './brokered-ports.ts';

describe('port deliveries are addressed to one document', () => {
  it('makes a fresh 128-bit token per document', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => newDocumentToken()));
    expect(tokens.size).toBe(100);
    for (const token of tokens) expect(token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('accepts a delivery for its own document and refuses one for another, or a malformed one', () => {
    const mine = newDocumentToken();
    const before = newDocumentToken(); // the document the tab showed before it navigated
    expect(isPortDeliveryFor(portDelivery('port-1', mine), mine)).toBe(true);
    expect(isPortDeliveryFor(portDelivery('port-1', before), mine)).toBe(false);
    expect(isPortDeliveryFor({ portId: 'port-1' }, mine)).toBe(false);
    expect(isPortDeliveryFor({ portId: 'port-1', document: mine, extra: 1 }, mine)).toBe(false);
    expect(isPortDelivery({ portId: '', document: mine })).toBe(false);
    expect(isPortDelivery(null)).toBe(false);
  });
});

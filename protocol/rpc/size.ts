/**
 * An estimate of a message's size in bytes, for the maximum-message-size limit and for traces.
 * Iterative and bounded, so a hostile message (huge, cyclic or nested a million deep) costs at most
 * `limit` bytes of walking and never overflows the stack.
 */

export const MEASURE_TOO_LARGE = -1;
export const MEASURE_TOO_DEEP = -2;

export function measureMessage(value: unknown, limit: number, maxDepth: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const item = stack.pop();
    const depth = depths.pop()!;
    switch (typeof item) {
      case 'string':
        size += item.length + 4;
        break;
      case 'number':
      case 'bigint':
        size += 8;
        break;
      case 'object': {
        if (item === null) {
          size += 1;
          break;
        }
        if (depth >= maxDepth) return MEASURE_TOO_DEEP;
        if (ArrayBuffer.isView(item)) {
          size += item.byteLength + 16;
        } else if (item instanceof ArrayBuffer) {
          size += item.byteLength + 16;
        } else if (Array.isArray(item)) {
          size += 8 + item.length;
          if (size > limit) return MEASURE_TOO_LARGE;
          for (let i = 0; i < item.length; i++) {
            stack.push(item[i]);
            depths.push(depth + 1);
          }
        } else {
          size += 8;
          for (const key in item) {
            size += key.length + 4;
            if (size > limit) return MEASURE_TOO_LARGE;
            stack.push((item as Record<string, unknown>)[key]);
            depths.push(depth + 1);
          }
        }
        break;
      }
      default:
        size += 4;
    }
    if (size > limit) return MEASURE_TOO_LARGE;
  }
  return size;
}

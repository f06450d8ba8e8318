/** Small helpers over arrays that several folders need. */

/** The parts one after the other in one new array. */
export function concatFloat32(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** f over items with at most `limit` calls in flight; results in the items' order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/**
 * The connected groups of `links` (each a list of members joined together; a one-member list is
 * a group of its own): union-find. Each group sorted by `compare`, the groups by their first member.
 */
export function connectedGroups<T>(links: ReadonlyArray<readonly T[]>, compare: (a: T, b: T) => number): T[][] {
  const parent = new Map<T, T>();
  const find = (x: T): T => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const link of links) {
    for (const m of link) if (!parent.has(m)) parent.set(m, m);
    for (const m of link.slice(1)) parent.set(find(m), find(link[0]));
  }
  const groups = new Map<T, T[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    const group = groups.get(r);
    if (group) group.push(x);
    else groups.set(r, [x]);
  }
  return [...groups.values()].map((g) => g.sort(compare)).sort((x, y) => compare(x[0], y[0]));
}

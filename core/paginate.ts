/**
 * The one loop over token-paginated AWS list calls (`NextToken` in Organizations, `nextToken`
 * in Bedrock). A service that hands back the token it was given would loop forever; that is
 * refused instead.
 */

/** Yields every page, asking for the next while `nextToken(page)` gives a token. */
export async function* pages<P>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | null | undefined,
): AsyncGenerator<P> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    yield page;
    token = nextToken(page) || undefined;
    if (token !== undefined) {
      if (seen.has(token))
        throw new Error(`pagination did not advance: the service returned token ${JSON.stringify(token.slice(0, 40))} twice`);
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Every item of every page. */
export async function allItems<P, T>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | null | undefined,
  itemsOf: (page: P) => readonly T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages(fetchPage, nextToken)) out.push(...(itemsOf(page) ?? []));
  return out;
}

/** The first item of any page that matches, without fetching further pages. */
export async function findItem<P, T>(
  fetchPage: (token: string | undefined) => Promise<P>,
  nextToken: (page: P) => string | null | undefined,
  itemsOf: (page: P) => readonly T[] | undefined,
  match: (item: T) => boolean,
): Promise<T | undefined> {
  for await (const page of pages(fetchPage, nextToken)) {
    const hit = (itemsOf(page) ?? []).find(match);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

/** The shop's whole catalogue: item id → label. */
export const CATALOG: Readonly<Record<string, string>> = {
  tea: 'Green tea',
  coffee: 'Coffee beans',
  biscuits: 'Oat biscuits',
};

export function isCatalogItem(id: unknown): id is string {
  return typeof id === 'string' && Object.hasOwn(CATALOG, id);
}

/** Read-only lists: categories, campaigns, DNC lists (`{items}`, sorted by name, not paginated). */
import type { Campaign, Category, DncList, ItemList } from '../../cxone/types.js';
import { json } from '../http.js';
import type { MethodSpec } from './types.js';

export const categoryMethods: Record<string, MethodSpec> = {
  GET: {
    auth: true,
    body: 'none',
    handle: (_request, { store }) =>
      json(200, { items: store.listCategories() } satisfies ItemList<Category>),
  },
};

export const campaignMethods: Record<string, MethodSpec> = {
  GET: {
    auth: true,
    body: 'none',
    handle: (_request, { store }) =>
      json(200, { items: store.listCampaigns() } satisfies ItemList<Campaign>),
  },
};

export const dncListMethods: Record<string, MethodSpec> = {
  GET: {
    auth: true,
    body: 'none',
    handle: (_request, { store }) =>
      json(200, { items: store.listDncLists() } satisfies ItemList<DncList>),
  },
};

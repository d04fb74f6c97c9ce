import { CreateCursorKey1795731000000 } from './1795731000000-CreateCursorKey';
import { CreateCatchUpCursor1795634623264 } from './1795634623264-CreateCatchUpCursor';
import { CreateFundsAndCampaigns1795631766575 } from './1795631766575-CreateFundsAndCampaigns';
import { CreateEventBackbone1795629948892 } from './1795629948892-CreateEventBackbone';

// Every migration of this app, oldest first. Append-only once merged.
export const migrations = [
  CreateEventBackbone1795629948892,
  CreateFundsAndCampaigns1795631766575,
  CreateCatchUpCursor1795634623264,
  CreateCursorKey1795731000000,
];

import { CreateCursorKey1795731000000 } from './1795731000000-CreateCursorKey';
import { CreateLedger1795631309743 } from './1795631309743-CreateLedger';
import { CreateEventBackbone1795629948892 } from './1795629948892-CreateEventBackbone';

// Every migration of this app, oldest first. Append-only once merged.
export const migrations = [CreateEventBackbone1795629948892, CreateLedger1795631309743, CreateCursorKey1795731000000];

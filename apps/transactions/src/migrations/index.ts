// Every migration of this app, oldest first. Append-only once merged.
export const migrations: (new () => object)[] = [];

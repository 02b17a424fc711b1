/** Raised by a store's methods after `close()`: an explicit error rather than a driver's. */
export class StoreClosedError extends Error {
  override name = 'StoreClosedError';
  constructor(storeName: string) {
    super(`${storeName} is closed; create a new store to use the database again`);
  }
}

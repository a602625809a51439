export { createStore, type CreateStoreOptions } from './create-store.js';
export { KEY_PREFIX, StoreError, StoreUnavailableError, type Store, type RedisAccess, type RedisClient } from './store.js';
export { parseStoreUrl, STORE_URL_FORMS, type StoreKind, type StoreLocation } from './store-url.js';
export { encrypt, decrypt, isSealed, sealedFormat, DecryptionError, type EncryptionKey, type SealedPlace, type SealedString } from './crypto.js';
export { sealSecrets, openSecrets, resealSecrets, openForReseal, type Sealed, type Opened, type StringFields, type RecordPlace, type SealedRecords } from './sealed-fields.js';
export { StoreLock, LeaseBusyError, type LeaseOptions } from './lock.js';
export { StoreIndex } from './store-index.js';
export { createCappedSet, type CappedSet, type CappedSetCaps, type CappedAddResult, type CappedSetOptions } from './capped-set.js';

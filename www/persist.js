// Snapshots in IndexedDB (from the worker): the engine's `snapshot()` bytes plus what the
// dashboard needs to resume — the newest timestamp held (`since` for the socket), the
// oldest, and the wire's key → labels map (the label browser's; the engine keeps labels
// too, this only saves a round of TS.INFO on restore).

const DB_NAME = "tsdb-wasm-dashboard";
const STORE = "snapshots";
const KEY = "main";

function open() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx(mode, fn) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const t = db.transaction(STORE, mode);
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req?.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error ?? new Error("IndexedDB transaction aborted"));
    });
  } finally {
    db.close();
  }
}

/** Save `{ bytes: Uint8Array, meta }`, replacing the previous snapshot. */
export function saveSnapshot(bytes, meta) {
  return tx("readwrite", (s) => s.put({ bytes, meta, savedAt: Date.now() }, KEY));
}

/** The saved snapshot or null. */
export async function loadSnapshot() {
  return (await tx("readonly", (s) => s.get(KEY))) ?? null;
}

export function clearSnapshot() {
  return tx("readwrite", (s) => s.delete(KEY));
}

// Autosave of the edited scenario in the browser's local storage, restored on
// reload. Stores the draft as written (even when it does not validate yet), so no
// edit is lost.
export const AUTOSAVE_KEY = "biotwin.autosave.v1";

export interface Autosaved {
  /** The scenario document being edited. */
  draft: unknown;
  /** Where it came from first ("built-in: …", "file …", "link"). */
  source: string;
  /** ISO time of the save. */
  savedAt: string;
}

export function loadAutosave(storage: Storage | undefined = globalThis.localStorage): Autosaved | null {
  try {
    const text = storage?.getItem(AUTOSAVE_KEY);
    if (!text) return null;
    const value = JSON.parse(text) as Autosaved;
    return value && typeof value === "object" && "draft" in value ? value : null;
  } catch {
    return null;
  }
}

/** Saves the draft; returns false when storage is unavailable or full (the app says so). */
export function saveAutosave(draft: unknown, source: string, storage: Storage | undefined = globalThis.localStorage): boolean {
  try {
    storage?.setItem(AUTOSAVE_KEY, JSON.stringify({ draft, source, savedAt: new Date().toISOString() } satisfies Autosaved));
    return storage !== undefined;
  } catch {
    return false;
  }
}

import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";

export interface WatchConfigFileOptions {
  /** Quiet time after the last change before `onChange` runs; default 200. */
  debounceMs?: number;
  /** Called when the directory cannot be watched any more. */
  onError?: (error: unknown) => void;
}

/**
 * Calls `onChange` once a burst of changes to `path` has settled. Watches the file's directory, not the
 * file, so editors that save by writing a new file and renaming it over the old one are seen too.
 * Returns a function that stops watching.
 */
export function watchConfigFile(
  path: string,
  onChange: () => void,
  options: WatchConfigFileOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? 200;
  const name = basename(path);
  let timer: NodeJS.Timeout | undefined;
  const watcher: FSWatcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed.toString() !== name) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  watcher.on("error", (error) => options.onError?.(error));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/**
 * Loads a package only when a provider that needs it is first used, so a gateway that configures no
 * cloud provider never loads the cloud SDKs. Loaded through `require` (every such package ships
 * CommonJS), so the loaded modules are visible in `require.cache`.
 */
export function loadOptionalPackage<T>(name: string, neededFor: string): T {
  try {
    return load(name) as T;
  } catch (error) {
    throw new Error(`${neededFor} needs the package ${name}; install it with npm install ${name}`, {
      cause: error,
    });
  }
}

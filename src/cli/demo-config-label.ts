/**
 * The name problems in the demo config are reported under. A file of its own so that resolving a
 * config never loads the demo's mock providers (src/testing), which only the demo needs.
 */
export const DEMO_CONFIG_LABEL = "(built-in demo config)";

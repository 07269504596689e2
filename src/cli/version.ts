/** Switchboard's version, from package.json, set by the build (scripts/build.mjs `define`). */
declare const __SWITCHBOARD_VERSION__: string
export const VERSION: string = __SWITCHBOARD_VERSION__

// The vessel: its geometry and liquid height (geometry.ts), the cited presets
// (presets.ts) and the vessel a scenario runs in (resolve.ts). docs/model.md §9.
export * from "./geometry";
export * from "./presets";
export * from "./resolve";

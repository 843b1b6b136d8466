// Names and units the study builder lists: every output a study can pick and the result
// columns a "value at a time" output or a kept trajectory can read (CHO model), from the
// same sources as the result views (web/model/study-views.ts: engine/kpis.ts and the
// model's result columns).
import { OUTPUT_IDS, type StudySpec } from "../../engine/study/spec";
import { capitalise, columnInfo, outputInfo } from "./study-views";

export type OutputId = (typeof OUTPUT_IDS)[number];

/** A study that lists every output, to ask outputInfo for any of them. */
const EVERY_OUTPUT = { kind: "sweep", seed: 1, parameters: [], outputs: [...OUTPUT_IDS] } as unknown as StudySpec;

export const OUTPUT_INFO = Object.fromEntries(OUTPUT_IDS.map((id) => [id, outputInfo(EVERY_OUTPUT, id, "cho")])) as Readonly<Record<OutputId, { label: string; unit: string }>>;

/** Columns offered for values at a time and trajectories (the ones process developers follow). */
const OFFERED_COLUMNS = ["viable_cells", "viability", "titer", "glucose", "glutamine", "lactate", "ammonium", "do_saturation", "ph", "pco2", "osmolality", "volume"];

export const COLUMN_INFO: Readonly<Record<string, { label: string; unit: string }>> = Object.fromEntries(
  OFFERED_COLUMNS.map((c) => {
    const info = columnInfo(c, "cho");
    const text = info?.description ?? c;
    return [c, { label: capitalise(text), unit: info?.unit ?? "" }];
  }),
);

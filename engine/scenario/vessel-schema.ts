/**
 * `reactor.vessel`, shared by both cell models: a vessel preset and any
 * dimensions that override it (engine/vessel/presets.ts, resolve.ts). Every
 * field is optional and has no default, so a scenario without it parses as
 * before; rules.ts checks that the parts fit together.
 */
import { z } from "zod";
import { BOTTOM_SHAPES, IMPELLER_TYPES, SPARGER_TYPES, VESSEL_MATERIALS } from "../vessel/geometry";
import { VESSEL_PRESET_IDS } from "../vessel/presets";
import { quantity } from "./fields";

/** kLa correlations of van't Riet (1979) the CHO model can use with a vessel (docs/model.md §10.3). */
export const KLA_CORRELATIONS = ["vant-riet-coalescing", "vant-riet-non-coalescing"] as const;

/** Largest length any vessel field accepts, m (the largest stirred fermenters are a few metres across). */
const MAX_LENGTH_M = 50;

const length = (description: string) => quantity({ unit: "m", gt: 0, max: MAX_LENGTH_M, description }).optional();
const height = (description: string) => quantity({ unit: "m", min: 0, max: MAX_LENGTH_M, description }).optional();

const ImpellerSchema = z
  .strictObject({
    type: z
      .enum(IMPELLER_TYPES)
      .meta({ description: "Impeller type: rushton (radial disc turbine), pitched-blade, hydrofoil or marine propeller" })
      .optional(),
    diameterM: length("Impeller diameter D"),
    count: quantity({ integer: true, min: 1, max: 8, description: "Number of impellers on the shaft" }).optional(),
    bottomClearanceM: height("Height of the lowest impeller above the lowest point of the vessel"),
    spacingM: height("Distance between neighbouring impellers"),
    blades: quantity({ integer: true, min: 2, max: 16, description: "Blades per impeller" }).optional(),
  })
  .meta({ description: "The impellers; fields left out come from the preset" });

const SpargerSchema = z
  .strictObject({
    type: z
      .enum(SPARGER_TYPES)
      .meta({ description: "Sparger type: ring, open-pipe or microsparger" })
      .optional(),
    diameterM: length("Ring diameter, or size of the pipe outlet"),
    heightM: height("Height of the sparger above the lowest point of the vessel"),
  })
  .meta({ description: "Where the gas enters; fields left out come from the preset" });

export const VesselSchema = z
  .strictObject({
    preset: z
      .enum(VESSEL_PRESET_IDS)
      .meta({
        description:
          "Vessel the other fields start from; absent means the 2 L bench reactor scaled to hold the largest liquid volume",
      })
      .optional(),
    diameterM: length("Inner diameter T of the vessel"),
    heightM: length("Inner height from the lowest point of the bottom to the top"),
    bottom: z
      .enum(BOTTOM_SHAPES)
      .meta({ description: "Shape of the bottom: flat, dished (2:1 semi-ellipsoidal head) or hemispherical" })
      .optional(),
    impeller: ImpellerSchema.optional(),
    baffles: quantity({ integer: true, min: 0, max: 8, description: "Number of wall baffles (0: unbaffled)" }).optional(),
    baffleWidthM: quantity({ unit: "m", min: 0, max: MAX_LENGTH_M, description: "Radial width of each baffle" }).optional(),
    sparger: SpargerSchema.optional(),
    material: z
      .enum(VESSEL_MATERIALS)
      .meta({ description: "What the vessel is made of: glass, single-use (plastic bag) or steel" })
      .optional(),
    kLaCorrelation: z
      .enum(KLA_CORRELATIONS)
      .meta({
        description:
          "cho: kLa of O2 from the vessel's gassed power per volume and gas velocity (van't Riet 1979), for a coalescing " +
          "medium or a non-coalescing one (salts, antifoam); absent means coalescing. The microbial model keeps reactor.kLaPerH",
      })
      .optional(),
  })
  .meta({
    description:
      "Shape and size of the vessel, its impellers, baffles and sparger: a preset with any field overridden " +
      "(docs/model.md §9); absent means the 2 L bench reactor scaled to hold the largest liquid volume",
  });

/** `reactor.vessel` as the engine reads it: every field optional. */
export type VesselSettings = z.output<typeof VesselSchema>;

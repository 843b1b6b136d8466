// Vessel geometry (engine/vessel/geometry.ts): volumes of the three bottom shapes
// against their closed forms, and liquid height as the inverse of volume.
import { describe, expect, test } from "vitest";
import { bottomDepthM, liquidHeightM, volumeBelowL, type BottomShape } from "../engine/vessel/geometry";

describe("vessel geometry", () => {
  const T = 1.2;
  test("head volumes: hemisphere π T³/12, 2:1 ellipsoidal head π T³/24, flat none (m³ → L)", () => {
    expect(volumeBelowL({ diameterM: T, bottom: "hemispherical" }, T / 2)).toBeCloseTo(((Math.PI * T ** 3) / 12) * 1000, 9);
    expect(volumeBelowL({ diameterM: T, bottom: "dished" }, T / 4)).toBeCloseTo(((Math.PI * T ** 3) / 24) * 1000, 9);
    expect(volumeBelowL({ diameterM: T, bottom: "flat" }, 0)).toBe(0);
  });

  test("a flat-bottomed cylinder holds π T²/4 per metre", () => {
    expect(volumeBelowL({ diameterM: T, bottom: "flat" }, 2)).toBeCloseTo(Math.PI * 0.36 * 2 * 1000, 9);
  });

  test.each<BottomShape>(["flat", "dished", "hemispherical"])("liquid height inverts volume for a %s bottom, inside the head and above it", (bottom) => {
    const g = { diameterM: T, bottom };
    for (const h of [0.01, 0.1, 0.25, bottomDepthM(g), 0.9, 2.5]) {
      expect(liquidHeightM(g, volumeBelowL(g, h))).toBeCloseTo(h, 9);
    }
    expect(liquidHeightM(g, 0)).toBe(0);
  });
});

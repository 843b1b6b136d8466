// The inner shape of a vessel as the 3D view needs it: the radius at a height and the
// wall profile for a lathe. Heights in m above the lowest point of the vessel (the scene's
// y = 0); shape from engine/vessel/geometry.ts (docs/model.md §9). No three.js here.
import { bottomDepthM, type VesselGeometry } from "../../engine/vessel/geometry";

/** Inner radius (m) of the vessel at height yM (0 at the lowest point of the head). */
export function radiusAtM(g: Pick<VesselGeometry, "diameterM" | "bottom">, yM: number): number {
  const a = g.diameterM / 2;
  const c = bottomDepthM(g);
  if (yM >= c || c === 0) return a;
  if (yM <= 0) return 0;
  const z = (c - yM) / c;
  return a * Math.sqrt(Math.max(0, 1 - z * z));
}

/** Points (radius, height) of the inner wall from the bottom centre to the rim, for a lathe. */
export function wallProfile(g: Pick<VesselGeometry, "diameterM" | "bottom" | "heightM">, radiusScale = 1, headSteps = 16): [number, number][] {
  const a = (g.diameterM / 2) * radiusScale;
  const c = bottomDepthM(g);
  const points: [number, number][] = [[0, 0]];
  if (c === 0) points.push([a, 0]);
  else {
    for (let i = 1; i <= headSteps; i++) {
      const theta = (i / headSteps) * (Math.PI / 2);
      points.push([a * Math.sin(theta), c * (1 - Math.cos(theta))]);
    }
  }
  points.push([a, g.heightM]);
  return points;
}

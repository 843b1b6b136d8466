// The cells as one Points cloud, a sample of at most 100,000 placed at seeded random
// spots in the liquid and coloured by state (viable or dead), or, with a colour table, the
// viable ones by a lifeline property sampled from its distribution (web/three/cell-colours.ts).
// How many are drawn follows the cell density; the cloud turns slowly with the flow. Each
// cell stores only where it sits as shares (of the liquid height, of the local radius, an
// angle) and a rank; the vertex shader maps them into the liquid and colours by the dead
// share (and the rank's quantile in the table), so a new snapshot changes a few uniforms and
// uploads nothing; a new colour table uploads 1 KB.
import {
  BufferAttribute,
  BufferGeometry,
  Color,
  DataTexture,
  NormalBlending,
  Points,
  RGBAFormat,
  ShaderMaterial,
  SRGBColorSpace,
  UnsignedByteType,
  type Plane,
} from "three";
import { CELL_QUANTILES } from "./cell-colours";
import { bottomDepthM, type VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables, seededRandom } from "./disposables";
import { RENDER_ORDER } from "./vessel-part";

/** Most cells the view will draw. */
export const MAX_DRAWN_CELLS = 100_000;
export const VIABLE_COLOR = "#2f9e55";
export const DEAD_COLOR = "#6e4a3a";
/** The cloud turns with the flow at this share of the displayed impeller speed. */
export const SWIRL_PER_IMPELLER_TURN = 0.04;
/** Cells are see-through, so the impeller and bubbles show through the cloud. */
const CELL_OPACITY = 0.55;
/** Fewest cells drawn while there are any, as a share of capacity. */
const MIN_DRAWN_SHARE = 0.03;
/** Cells keep this share of the local radius and of the liquid height, clear of wall and surface. */
const RADIUS_SHARE = 0.94;
const HEIGHT_SHARE = 0.985;

const VERTEX_SHADER = /* glsl */ `
#include <common>
#include <clipping_planes_pars_vertex>
attribute float rank;
attribute vec2 band;
attribute float agentValue;
uniform float colourByAgent;
uniform float liquidTop;
uniform float vesselRadius;
uniform float headDepth;
uniform float deadShare;
uniform float pointSize;
uniform vec3 viableColor;
uniform vec3 deadColor;
uniform float colourByTable;
uniform sampler2D colourTable;
varying vec3 vColor;
void main() {
  // position = (share of the liquid height, share of the local radius, angle).
  // A lifeline agent keeps to its zone's band (shares of the liquid height; 0..1 for all others).
  float y = mix(band.x, band.y, position.x / ${HEIGHT_SHARE.toFixed(3)}) * ${HEIGHT_SHARE.toFixed(3)} * liquidTop;
  float r = vesselRadius;
  if (y < headDepth) {
    float z = (headDepth - y) / headDepth;
    r = vesselRadius * sqrt(max(0.0, 1.0 - z * z));
  }
  r *= ${RADIUS_SHARE.toFixed(3)} * position.y;
  vec4 mvPosition = modelViewMatrix * vec4(cos(position.z) * r, y, sin(position.z) * r, 1.0);
  gl_Position = projectionMatrix * mvPosition;
  gl_PointSize = pointSize;
  if (rank < deadShare) {
    vColor = deadColor;
  } else if (colourByAgent > 0.5 && agentValue >= 0.0) {
    // The agent's own value (0..1 on the scale) picks its colour.
    float texel = (floor(min(agentValue, 0.999) * ${CELL_QUANTILES.toFixed(1)}) + 0.5) / ${CELL_QUANTILES.toFixed(1)};
    vColor = texture2D(colourTable, vec2(texel, 0.5)).rgb;
  } else if (colourByTable > 0.5) {
    // The viable cells' ranks, spread over 0..1 again, pick quantiles of the distribution.
    float u = (rank - deadShare) / max(1e-6, 1.0 - deadShare);
    float texel = (floor(u * ${CELL_QUANTILES.toFixed(1)}) + 0.5) / ${CELL_QUANTILES.toFixed(1)};
    vColor = texture2D(colourTable, vec2(texel, 0.5)).rgb;
  } else {
    vColor = viableColor;
  }
  #include <clipping_planes_vertex>
}
`;

const FRAGMENT_SHADER = /* glsl */ `
#include <clipping_planes_pars_fragment>
uniform float opacity;
varying vec3 vColor;
void main() {
  #include <clipping_planes_fragment>
  gl_FragColor = vec4(vColor, opacity);
  #include <colorspace_fragment>
}
`;

export class CellsPart {
  readonly points: Points;
  /** Cells the cloud can hold (≤ MAX_DRAWN_CELLS). */
  readonly capacity: number;
  /** Cells drawn after the last setState. */
  drawnCells = 0;
  private readonly owned = new Disposables();
  private readonly geometry: BufferGeometry;
  private readonly material: ShaderMaterial;
  private readonly colourTable: DataTexture;

  constructor(vessel: VesselGeometry, capacity: number, seed: number, pointSizePx: number) {
    const n = Math.max(0, Math.min(MAX_DRAWN_CELLS, Math.floor(capacity)));
    this.capacity = n;
    const random = seededRandom(seed ^ 0xce11);
    const place = new Float32Array(n * 3);
    const rank = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      place[i * 3] = random() * HEIGHT_SHARE;
      // √ of a uniform fills the disc evenly.
      place[i * 3 + 1] = Math.sqrt(random());
      place[i * 3 + 2] = random() * Math.PI * 2;
      rank[i] = random();
    }
    this.geometry = this.owned.add(new BufferGeometry());
    this.geometry.setAttribute("position", new BufferAttribute(place, 3));
    this.geometry.setAttribute("rank", new BufferAttribute(rank, 1));
    const band = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) band[i * 2 + 1] = 1;
    this.geometry.setAttribute("band", new BufferAttribute(band, 2));
    this.geometry.setAttribute("agentValue", new BufferAttribute(new Float32Array(n).fill(-1), 1));
    this.geometry.setDrawRange(0, 0);
    this.colourTable = this.owned.add(new DataTexture(new Uint8Array(CELL_QUANTILES * 4), CELL_QUANTILES, 1, RGBAFormat, UnsignedByteType));
    this.colourTable.colorSpace = SRGBColorSpace;
    this.colourTable.needsUpdate = true;
    this.material = this.owned.add(
      new ShaderMaterial({
        vertexShader: VERTEX_SHADER,
        fragmentShader: FRAGMENT_SHADER,
        uniforms: {
          liquidTop: { value: 0 },
          vesselRadius: { value: vessel.diameterM / 2 },
          headDepth: { value: bottomDepthM(vessel) },
          deadShare: { value: 0 },
          pointSize: { value: pointSizePx },
          opacity: { value: CELL_OPACITY },
          viableColor: { value: new Color(VIABLE_COLOR) },
          deadColor: { value: new Color(DEAD_COLOR) },
          colourByTable: { value: 0 },
          colourByAgent: { value: 0 },
          colourTable: { value: this.colourTable },
        },
        transparent: true,
        depthWrite: false,
        blending: NormalBlending,
        clipping: true,
      }),
    );
    this.points = new Points(this.geometry, this.material);
    this.points.name = "cells";
    this.points.frustumCulled = false;
    this.points.renderOrder = RENDER_ORDER.cells;
  }

  /** Sets the drawn share (0..1 of capacity), dead share (0..1) and liquid height (m). Called when a snapshot arrives; uploads nothing. */
  setState(fill: number, deadShare: number, liquidHeightM: number): void {
    const count = liquidHeightM > 0 && fill > 0 ? Math.round(this.capacity * Math.max(MIN_DRAWN_SHARE, Math.min(1, fill))) : 0;
    this.drawnCells = count;
    this.geometry.setDrawRange(0, count);
    this.material.uniforms.liquidTop.value = liquidHeightM;
    this.material.uniforms.deadShare.value = deadShare;
  }

  /**
   * Colours the viable cells from `table` (CELL_QUANTILES RGBA texels, sRGB, from
   * cellColourTable); null: all viable cells in VIABLE_COLOR. Dead cells stay DEAD_COLOR.
   * Called when the colouring or the shown distribution changes.
   */
  setColourTable(table: Uint8Array | null): void {
    if (table) {
      (this.colourTable.image.data as Uint8Array).set(table.subarray(0, CELL_QUANTILES * 4));
      this.colourTable.needsUpdate = true;
    }
    this.material.uniforms.colourByTable.value = table ? 1 : 0;
  }

  /**
   * Draws lifeline agents: cell i keeps to band [lo, hi] = bands[2i], bands[2i+1] (shares of the
   * liquid height: its agent's zone) and, when `values` is given, is coloured by values[i]
   * (0..1 on the table's scale, which setColourTable holds) instead of a quantile. null: back
   * to cells spread over the whole liquid. Uploads the two attributes once per call.
   */
  setAgents(bands: Float32Array | null, values: Float32Array | null): void {
    const band = this.geometry.getAttribute("band") as BufferAttribute;
    const value = this.geometry.getAttribute("agentValue") as BufferAttribute;
    const b = band.array as Float32Array;
    const v = value.array as Float32Array;
    if (bands) b.set(bands.subarray(0, b.length));
    else for (let i = 0; i < this.capacity; i++) (b[i * 2] = 0), (b[i * 2 + 1] = 1);
    if (values) v.set(values.subarray(0, v.length));
    else v.fill(-1);
    band.needsUpdate = true;
    value.needsUpdate = true;
    this.material.uniforms.colourByAgent.value = values ? 1 : 0;
  }

  /** Whether the viable cells are coloured from a table (a lifeline distribution). */
  get colouredByTable(): boolean {
    return this.material.uniforms.colourByTable.value === 1;
  }

  /** Turns the cloud by `angleRad` about the shaft (the flow). */
  setSwirl(angleRad: number): void {
    this.points.rotation.y = angleRad;
  }

  /** Clips the cloud with the liquid's planes, so no cell shows above the surface. */
  setClipping(planes: Plane[]): void {
    this.material.clippingPlanes = planes;
  }

  dispose(): void {
    this.owned.dispose();
  }
}

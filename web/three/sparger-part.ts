// The sparger and its bubbles. Bubbles are one Points cloud whose positions are a pure
// function of the animation time (seeded phases), so a fixed clock gives a fixed picture;
// their number and rise speed follow the gas flow (as vvm, gas volume per liquid volume per minute).
import {
  BufferAttribute,
  BufferGeometry,
  CanvasTexture,
  CylinderGeometry,
  Group,
  Mesh,
  MeshStandardMaterial,
  Points,
  PointsMaterial,
  TorusGeometry,
} from "three";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables, seededRandom } from "./disposables";
import { RENDER_ORDER } from "./vessel-part";

/** Most bubbles drawn at once. */
export const MAX_BUBBLES = 1500;
/** Gas flow (vvm, L gas per L liquid per min) at which every bubble is drawn. */
const FULL_VVM = 0.1;
/** Rise speed of a bubble at no gas flow and at FULL_VVM, m/s (terminal velocity of 3–5 mm bubbles is about 0.2–0.3 m/s). */
const RISE_M_PER_S_LOW = 0.18;
const RISE_M_PER_S_HIGH = 0.3;
/** How far a plume spreads sideways over its rise, as a share of the rise. */
const PLUME_SPREAD = 0.12;

/** Drawn bubble diameter, m: 5 mm (about true) in bench vessels, T/35 in large tanks so they stay visible. */
export function bubbleSizeM(vessel: VesselGeometry): number {
  const scale = vessel.sparger.type === "microsparger" ? 0.5 : 1;
  return scale * Math.max(0.005, vessel.diameterM / 35);
}

export class SpargerPart {
  readonly group = new Group();
  /** Bubbles drawn in the last update. */
  visibleBubbles = 0;
  private readonly owned = new Disposables();
  private readonly positions: Float32Array;
  private readonly attribute: BufferAttribute;
  private readonly geometry: BufferGeometry;
  /** Per bubble: start phase 0..1, angle, radial jitter, wobble phase. */
  private readonly phase = new Float32Array(MAX_BUBBLES);
  private readonly angle = new Float32Array(MAX_BUBBLES);
  private readonly jitter = new Float32Array(MAX_BUBBLES);
  private readonly wobble = new Float32Array(MAX_BUBBLES);
  /** Where bubbles leave the sparger: radius (0 for a point) and centre offset. */
  private readonly outletRadiusM: number;
  private readonly outletX: number;
  private readonly outletSpreadM: number;

  constructor(
    private readonly vessel: VesselGeometry,
    seed: number,
  ) {
    const own = this.owned;
    const sp = vessel.sparger;
    const a = vessel.diameterM / 2;
    const steel = own.add(new MeshStandardMaterial({ color: 0x8d989f, metalness: 0.4, roughness: 0.4 }));
    const tube = Math.max(0.0015, vessel.diameterM / 120);
    // The outlet, and the pipe that feeds it from the head plate.
    let pipeX: number;
    if (sp.type === "ring") {
      const ring = new Mesh(own.add(new TorusGeometry(sp.diameterM / 2, tube, 8, 48)), steel);
      ring.rotation.x = -Math.PI / 2;
      ring.position.y = sp.heightM;
      this.group.add(ring);
      this.outletRadiusM = sp.diameterM / 2;
      this.outletX = 0;
      this.outletSpreadM = tube * 2;
      pipeX = sp.diameterM / 2;
    } else {
      const x = -Math.min(a * 0.35, a - 4 * tube);
      const head = new Mesh(own.add(new CylinderGeometry(Math.max(sp.diameterM / 2, tube * 1.5), Math.max(sp.diameterM / 2, tube * 1.5), tube * 2, 16)), steel);
      head.position.set(x, sp.heightM, 0);
      this.group.add(head);
      this.outletRadiusM = 0;
      this.outletX = x;
      this.outletSpreadM = Math.max(sp.diameterM / 2, tube);
      pipeX = x;
    }
    const pipeLength = vessel.heightM - sp.heightM;
    const pipe = new Mesh(own.add(new CylinderGeometry(tube, tube, pipeLength, 8)), steel);
    pipe.position.set(pipeX, sp.heightM + pipeLength / 2, 0);
    this.group.add(pipe);

    const random = seededRandom(seed ^ 0x5eed);
    for (let i = 0; i < MAX_BUBBLES; i++) {
      this.phase[i] = random();
      this.angle[i] = random() * Math.PI * 2;
      this.jitter[i] = random() - 0.5;
      this.wobble[i] = random() * Math.PI * 2;
    }
    this.positions = new Float32Array(MAX_BUBBLES * 3);
    this.geometry = own.add(new BufferGeometry());
    this.attribute = new BufferAttribute(this.positions, 3);
    this.attribute.setUsage(35048 /* DynamicDrawUsage */);
    this.geometry.setAttribute("position", this.attribute);
    this.geometry.setDrawRange(0, 0);
    const material = own.add(
      new PointsMaterial({
        size: bubbleSizeM(vessel),
        sizeAttenuation: true,
        map: own.add(bubbleTexture()),
        transparent: true,
        opacity: 0.9,
        depthWrite: false,
        alphaTest: 0.05,
        color: 0xffffff,
      }),
    );
    const points = new Points(this.geometry, material);
    points.name = "bubbles";
    points.frustumCulled = false;
    points.renderOrder = RENDER_ORDER.bubbles;
    this.group.add(points);
  }

  /**
   * Places the bubbles for animation time `timeS` (s) with `gasFlowLPerMin` into `volumeL`
   * of liquid that stands `liquidHeightM` high. Called every frame; does not allocate.
   */
  update(timeS: number, gasFlowLPerMin: number, volumeL: number, liquidHeightM: number): void {
    const sp = this.vessel.sparger;
    const rise = liquidHeightM - sp.heightM;
    const vvm = gasFlowLPerMin > 0 && volumeL > 0 ? gasFlowLPerMin / volumeL : 0;
    const load = Math.min(1, vvm / FULL_VVM);
    const count = rise > 0 && vvm > 0 ? Math.round(MAX_BUBBLES * Math.max(0.03, Math.sqrt(load))) : 0;
    this.visibleBubbles = count;
    this.geometry.setDrawRange(0, count);
    if (count === 0) return;
    const speed = RISE_M_PER_S_LOW + (RISE_M_PER_S_HIGH - RISE_M_PER_S_LOW) * load;
    const wallRadius = this.vessel.diameterM / 2 * 0.95;
    const p = this.positions;
    for (let i = 0; i < count; i++) {
      const travelled = (this.phase[i] * rise + timeS * speed) % rise;
      const share = travelled / rise;
      const spread = this.outletSpreadM * this.jitter[i] + PLUME_SPREAD * travelled * this.jitter[i];
      const angle = this.angle[i] + 0.3 * Math.sin(this.wobble[i] + timeS * 6);
      let x: number;
      let z: number;
      if (this.outletRadiusM > 0) {
        const r = Math.min(wallRadius, this.outletRadiusM + spread);
        x = Math.cos(angle) * r;
        z = Math.sin(angle) * r;
      } else {
        const r = Math.abs(spread) * 2;
        x = this.outletX + Math.cos(angle) * r;
        z = Math.sin(angle) * r;
      }
      p[i * 3] = x;
      p[i * 3 + 1] = sp.heightM + share * rise;
      p[i * 3 + 2] = z;
    }
    this.attribute.needsUpdate = true;
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
  }
}

/** A round, rimmed bubble sprite drawn on a small canvas. */
function bubbleTexture(): CanvasTexture {
  const size = 64;
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext("2d")!;
  const gradient = ctx.createRadialGradient(size * 0.4, size * 0.4, size * 0.05, size / 2, size / 2, size / 2);
  gradient.addColorStop(0, "rgba(255,255,255,1)");
  gradient.addColorStop(0.55, "rgba(240,248,252,0.85)");
  gradient.addColorStop(0.8, "rgba(90,120,140,1)");
  gradient.addColorStop(0.95, "rgba(90,120,140,0.6)");
  gradient.addColorStop(1, "rgba(90,120,140,0)");
  ctx.fillStyle = gradient;
  ctx.beginPath();
  ctx.arc(size / 2, size / 2, size / 2, 0, Math.PI * 2);
  ctx.fill();
  return new CanvasTexture(canvas);
}

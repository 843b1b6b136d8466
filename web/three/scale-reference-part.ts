// What makes size read at a glance beside the vessel: a floor grid, a ruler with labels
// and, for vessels a person stands next to, a 1.75 m human figure. Bench vessels get a
// ruler in cm instead (a person would dwarf them). Labels are canvas-texture sprites.
import {
  Box3,
  BoxGeometry,
  CanvasTexture,
  CapsuleGeometry,
  GridHelper,
  type Material,
  Group,
  Mesh,
  MeshStandardMaterial,
  SphereGeometry,
  Sprite,
  SpriteMaterial,
  Vector3,
} from "three";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables } from "./disposables";

/** Height of the human figure, m. */
export const HUMAN_HEIGHT_M = 1.75;
/** Vessels at least this tall get the human figure; smaller ones only a ruler in cm, m. */
export const HUMAN_FROM_HEIGHT_M = 0.6;

/** The ruler's length and label step for a vessel: 5 cm steps on the bench, 0.5 m steps for tanks. */
export function rulerFor(vessel: VesselGeometry): { lengthM: number; stepM: number; inCm: boolean } {
  const tall = vessel.heightM * 1.1;
  if (vessel.heightM < HUMAN_FROM_HEIGHT_M) {
    const stepM = 0.05;
    return { lengthM: Math.max(0.1, Math.ceil(tall / stepM) * stepM), stepM, inCm: true };
  }
  const stepM = vessel.heightM > 4 ? 1 : 0.5;
  return { lengthM: Math.ceil(Math.max(tall, HUMAN_HEIGHT_M) / stepM) * stepM, stepM, inCm: false };
}

export class ScaleReferencePart {
  readonly group = new Group();
  /** Box around the reference objects (to frame the camera). */
  readonly bounds = new Box3();
  /** What the reference shows, for the caption. */
  readonly description: string;
  private readonly owned = new Disposables();

  constructor(vessel: VesselGeometry) {
    const own = this.owned;
    const a = vessel.diameterM / 2;
    const ruler = rulerFor(vessel);
    const human = vessel.heightM >= HUMAN_FROM_HEIGHT_M;

    // Floor grid, cells of one ruler step.
    const gridSize = Math.ceil((vessel.diameterM * 3 + (human ? 1.5 : 0)) / ruler.stepM) * ruler.stepM;
    const grid = new GridHelper(gridSize, Math.round(gridSize / ruler.stepM), 0xaab4ba, 0xd3d9dc);
    grid.position.y = -0.0005 * vessel.heightM;
    own.add(grid.geometry);
    own.add(grid.material as Material);
    this.group.add(grid);

    // The ruler: a bar left of the vessel with ticks and labels.
    const x = -(a * 1.25 + Math.max(0.01, ruler.lengthM * 0.04));
    const barWidth = ruler.lengthM * 0.025;
    const barMaterial = own.add(new MeshStandardMaterial({ color: 0xf3d77a, roughness: 0.6 }));
    const tickMaterial = own.add(new MeshStandardMaterial({ color: 0x2b3338, roughness: 0.7 }));
    const bar = new Mesh(own.add(new BoxGeometry(barWidth, ruler.lengthM, barWidth * 0.3)), barMaterial);
    bar.position.set(x, ruler.lengthM / 2, 0);
    bar.name = "ruler";
    this.group.add(bar);
    const tick = own.add(new BoxGeometry(barWidth * 1.6, ruler.lengthM * 0.004, barWidth * 0.4));
    const minorTick = own.add(new BoxGeometry(barWidth * 0.8, ruler.lengthM * 0.0025, barWidth * 0.35));
    const steps = Math.round(ruler.lengthM / ruler.stepM);
    const minorPerStep = ruler.inCm ? 5 : 5;
    for (let i = 0; i <= steps * minorPerStep; i++) {
      const y = (i / minorPerStep) * ruler.stepM;
      const major = i % minorPerStep === 0;
      const mesh = new Mesh(major ? tick : minorTick, tickMaterial);
      mesh.position.set(x + (major ? 0 : barWidth * 0.2), y, 0);
      this.group.add(mesh);
      if (major && i > 0) {
        const metres = (i / minorPerStep) * ruler.stepM;
        const text = ruler.inCm ? `${Math.round(metres * 100)} cm` : `${Number(metres.toFixed(2))} m`;
        const label = this.label(text, ruler.lengthM * 0.045);
        label.position.set(x - barWidth * 0.9 - label.scale.x / 2, y, 0);
        this.group.add(label);
      }
    }
    this.bounds.expandByPoint(new Vector3(x - barWidth * 6 - ruler.lengthM * 0.05 * 3, 0, 0));
    this.bounds.expandByPoint(new Vector3(x, ruler.lengthM, 0));

    if (human) {
      const figure = this.human(own);
      figure.position.set(a * 1.1 + 0.45, 0, 0.1);
      this.group.add(figure);
      this.bounds.expandByPoint(new Vector3(a * 1.1 + 0.8, HUMAN_HEIGHT_M, 0.2));
      this.description = `figure ${HUMAN_HEIGHT_M} m tall; ruler and grid in ${ruler.stepM} m steps`;
    } else {
      this.description = `ruler and grid in ${Math.round(ruler.stepM * 100)} cm steps`;
    }
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
  }

  /** A text sprite `heightM` tall. */
  private label(text: string, heightM: number): Sprite {
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d")!;
    const fontPx = 48;
    ctx.font = `600 ${fontPx}px system-ui, sans-serif`;
    const width = Math.ceil(ctx.measureText(text).width) + 16;
    canvas.width = width;
    canvas.height = fontPx + 16;
    ctx.font = `600 ${fontPx}px system-ui, sans-serif`;
    ctx.fillStyle = "#1d2428";
    ctx.textBaseline = "middle";
    ctx.fillText(text, 8, canvas.height / 2);
    const texture = this.owned.add(new CanvasTexture(canvas));
    texture.anisotropy = 1;
    const material = this.owned.add(new SpriteMaterial({ map: texture, transparent: true, depthWrite: false }));
    const sprite = new Sprite(material);
    sprite.scale.set((heightM * canvas.width) / canvas.height, heightM, 1);
    return sprite;
  }

  /** A simple 1.75 m standing figure of capsules (proportions after common anthropometric tables). */
  private human(own: Disposables): Group {
    const h = HUMAN_HEIGHT_M;
    const material = own.add(new MeshStandardMaterial({ color: 0x6f7f8a, roughness: 0.8 }));
    const figure = new Group();
    figure.name = "human";
    const part = (radius: number, length: number, x: number, yBottom: number, tiltZ = 0) => {
      const mesh = new Mesh(own.add(new CapsuleGeometry(radius, length, 4, 12)), material);
      mesh.position.set(x, yBottom + radius + length / 2, 0);
      mesh.rotation.z = tiltZ;
      figure.add(mesh);
    };
    const legRadius = 0.065 * (h / 1.75);
    part(legRadius, 0.47 * h - 2 * legRadius, -0.09, 0.0);
    part(legRadius, 0.47 * h - 2 * legRadius, 0.09, 0.0);
    const torsoRadius = 0.15;
    part(torsoRadius, 0.3 * h - 2 * torsoRadius + 0.05, 0, 0.47 * h - 0.04);
    const armRadius = 0.045;
    part(armRadius, 0.34 * h - 2 * armRadius, -0.22, 0.44 * h, -0.08);
    part(armRadius, 0.34 * h - 2 * armRadius, 0.22, 0.44 * h, 0.08);
    const head = new Mesh(own.add(new SphereGeometry(0.11, 20, 14)), material);
    head.position.set(0, h - 0.12, 0);
    figure.add(head);
    const neck = new Mesh(own.add(new CapsuleGeometry(0.05, 0.06, 4, 8)), material);
    neck.position.set(0, h - 0.3, 0);
    figure.add(neck);
    return figure;
  }
}

// Probes (pH, DO, pCO2, conductivity) and the feed and base ports of the 3D view.
// Probes are pickable (their meshes carry userData.probe); ports flash and drip when an
// addition is seen: a volume jump (a bolus) at the feed port, a rise of base_added at the base port.
import { CylinderGeometry, Group, Mesh, MeshStandardMaterial, SphereGeometry, type Object3D } from "three";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables } from "./disposables";
import { PROBES, type ProbeId } from "./reactor-snapshot";

/** Shown probe diameter, m: the standard 12 mm, drawn at least T/30 wide in large tanks so it can be seen and picked. */
export function probeDiameterM(vessel: VesselGeometry): number {
  return Math.max(0.012, vessel.diameterM / 30);
}
/** How long a port flashes after an addition, s of animation time. */
export const ADDITION_FLASH_S = 1.6;
/** Time a drop takes from the port to the surface, s (drawn, not true free fall). */
const DROP_FALL_S = 0.55;
/** Period of the drip while a continuous feed runs, s. */
const CONTINUOUS_DRIP_S = 1.4;
/** Vessels taller than this take probes through the side wall rather than the head plate, m. */
const SIDE_ENTRY_ABOVE_M = 0.8;

export type PortId = "feed" | "base";

interface Port {
  id: PortId;
  material: MeshStandardMaterial;
  drop: Mesh;
  x: number;
  z: number;
  /** Animation time of the last addition, s (−∞: none yet). */
  addedAtS: number;
  /** A continuous addition is running. */
  continuous: boolean;
}

export class ProbesPart {
  readonly group = new Group();
  /** Meshes the pointer can pick, each with userData.probe. */
  readonly pickables: Object3D[] = [];
  private readonly owned = new Disposables();
  private readonly tipMaterials = new Map<ProbeId, MeshStandardMaterial>();
  private readonly ports: Port[] = [];
  private highlighted: ProbeId | null = null;

  constructor(private readonly vessel: VesselGeometry) {
    const own = this.owned;
    const a = vessel.diameterM / 2;
    const H = vessel.heightM;
    const d = probeDiameterM(vessel);
    const body = own.add(new MeshStandardMaterial({ color: 0xdfe3e6, metalness: 0.2, roughness: 0.35 }));
    const sideEntry = H > SIDE_ENTRY_ABOVE_M;
    // Side-entry probes sit on the camera's side (+z) over a quarter turn; top-entry probes
    // behind the shaft, so they do not hide the impeller from the default view.
    PROBES.forEach((spec, i) => {
      const spread = (-0.55 + (i / (PROBES.length - 1)) * 1.1) * (Math.PI / 2);
      const angle = sideEntry ? spread : Math.PI + spread * 1.3;
      const tipMaterial = own.add(new MeshStandardMaterial({ color: spec.color, roughness: 0.4, emissive: spec.color, emissiveIntensity: 0.15 }));
      this.tipMaterials.set(spec.id, tipMaterial);
      const probe = new Group();
      probe.name = `probe-${spec.id}`;
      let length: number;
      if (sideEntry) {
        // Through the wall at a quarter of the height, pointing inwards and slightly down.
        length = a * 0.35 + d * 3;
        probe.position.set(Math.sin(angle) * (a + d * 3), H * 0.22 + i * d * 0.2, Math.cos(angle) * (a + d * 3));
        probe.rotation.y = angle;
        probe.rotateX(-(Math.PI / 2 + 0.26));
      } else {
        // Down through the head plate at 0.7 of the radius, tip a third of the way up.
        length = H * 1.02 - H * 0.3;
        probe.position.set(Math.sin(angle) * a * 0.7, H * 1.02 + d, Math.cos(angle) * a * 0.7);
        probe.rotation.x = Math.PI;
      }
      const shaft = new Mesh(own.add(new CylinderGeometry(d / 2, d / 2, length, 12)), body);
      shaft.position.y = length / 2;
      const tip = new Mesh(own.add(new CylinderGeometry(d * 0.42, d * 0.42, Math.max(d * 2, length * 0.12), 12)), tipMaterial);
      tip.position.y = length + Math.max(d, length * 0.06);
      const head = new Mesh(own.add(new CylinderGeometry(d * 0.6, d * 0.6, d * 2, 12)), tipMaterial);
      head.position.y = -d;
      for (const m of [shaft, tip, head]) {
        m.userData.probe = spec.id;
        this.pickables.push(m);
        probe.add(m);
      }
      this.group.add(probe);
    });

    // Ports on the head plate, on the far left of the camera's side.
    const portRadius = Math.max(0.004, vessel.diameterM / 40);
    const portGeometry = own.add(new CylinderGeometry(portRadius, portRadius, portRadius * 6, 12));
    const dropGeometry = own.add(new SphereGeometry(portRadius * 0.9, 12, 8));
    const portDefs: [PortId, number, number][] = [
      ["feed", -2.0, 0x2f7fc4],
      ["base", -2.55, 0xc99700],
    ];
    for (const [id, angle, color] of portDefs) {
      const material = own.add(new MeshStandardMaterial({ color, emissive: color, emissiveIntensity: 0, roughness: 0.4 }));
      const x = Math.sin(angle) * a * 0.62;
      const z = Math.cos(angle) * a * 0.62;
      const port = new Mesh(portGeometry, material);
      port.name = `port-${id}`;
      port.position.set(x, H + portRadius * 3, z);
      this.group.add(port);
      const dropMaterial = own.add(new MeshStandardMaterial({ color, emissive: color, emissiveIntensity: 0.4, transparent: true, opacity: 0.9 }));
      const drop = new Mesh(dropGeometry, dropMaterial);
      drop.visible = false;
      this.group.add(drop);
      this.ports.push({ id, material, drop, x, z, addedAtS: Number.NEGATIVE_INFINITY, continuous: false });
    }
  }

  /** Marks an addition at a port at animation time `timeS`. */
  addition(id: PortId, timeS: number): void {
    const port = this.ports.find((p) => p.id === id);
    if (port) port.addedAtS = timeS;
  }

  /** Whether a port drips continuously (a continuous feed runs). */
  setContinuous(id: PortId, on: boolean): void {
    const port = this.ports.find((p) => p.id === id);
    if (port) port.continuous = on;
  }

  /** Whether a port is flashing at animation time `timeS` (for tests). */
  flashing(id: PortId, timeS: number): boolean {
    const port = this.ports.find((p) => p.id === id);
    return !!port && timeS - port.addedAtS >= 0 && timeS - port.addedAtS < ADDITION_FLASH_S;
  }

  /** Animates flashes and drops at animation time `timeS` over a liquid `liquidHeightM` high. Called every frame. */
  update(timeS: number, liquidHeightM: number): void {
    const H = this.vessel.heightM;
    for (const port of this.ports) {
      const since = timeS - port.addedAtS;
      const flashing = since >= 0 && since < ADDITION_FLASH_S;
      port.material.emissiveIntensity = flashing ? 0.9 * (1 - since / ADDITION_FLASH_S) + 0.1 : 0;
      let fall = -1;
      if (flashing) fall = (since % DROP_FALL_S) / DROP_FALL_S;
      else if (port.continuous) {
        const phase = (timeS % CONTINUOUS_DRIP_S) / DROP_FALL_S;
        if (phase < 1) fall = phase;
      }
      port.drop.visible = fall >= 0 && liquidHeightM > 0;
      if (port.drop.visible) port.drop.position.set(port.x, H - (H - liquidHeightM) * fall * fall, port.z);
    }
  }

  /** Lights up the picked probe's tip (null: none). */
  highlight(id: ProbeId | null): void {
    if (id === this.highlighted) return;
    for (const [probe, material] of this.tipMaterials) material.emissiveIntensity = probe === id ? 0.8 : 0.15;
    this.highlighted = id;
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
    this.pickables.length = 0;
  }
}

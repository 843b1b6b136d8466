// The shaft and impellers of the 3D view, drawn by type at their true diameter and
// heights, turning at a displayed speed that follows the agitation (see shownRevPerS).
import { BoxGeometry, CylinderGeometry, Group, Mesh, MeshStandardMaterial } from "three";
import { impellerHeightsM, type ImpellerType, type VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables } from "./disposables";
import { shownRevPerS } from "./impeller-speed";

/** Blade shape per impeller type: height as a share of D, pitch angle (rad), blade count if the geometry gives none. */
const BLADE_SHAPES: Record<ImpellerType, { heightPerD: number; pitchRad: number; chordScale: number }> = {
  rushton: { heightPerD: 0.2, pitchRad: 0, chordScale: 1 },
  "pitched-blade": { heightPerD: 0.2, pitchRad: Math.PI / 4, chordScale: 1 },
  hydrofoil: { heightPerD: 0.16, pitchRad: (28 * Math.PI) / 180, chordScale: 1.5 },
  marine: { heightPerD: 0.3, pitchRad: (35 * Math.PI) / 180, chordScale: 1.6 },
};

export class ImpellerPart {
  readonly group = new Group();
  /** Current rotation angle, rad. */
  angleRad = 0;
  /** Displayed speed of the last update, rev/s. */
  shownRevPerS = 0;
  private readonly rotors: Group[] = [];
  private readonly owned = new Disposables();

  constructor(vessel: VesselGeometry) {
    const imp = vessel.impeller;
    const D = imp.diameterM;
    const own = this.owned;
    const steel = own.add(new MeshStandardMaterial({ color: 0x9aa5ad, metalness: 0.45, roughness: 0.32 }));
    const bladeMaterial = own.add(new MeshStandardMaterial({ color: 0xaab4bb, metalness: 0.4, roughness: 0.3 }));
    const heights = impellerHeightsM(vessel);
    const lowest = Math.min(...heights);
    const shaftRadius = Math.max(0.003, D / 18);
    const shaftTop = vessel.heightM * 1.08;
    const shaftBottom = lowest - D * 0.1;
    const shaft = new Mesh(own.add(new CylinderGeometry(shaftRadius, shaftRadius, shaftTop - shaftBottom, 16)), steel);
    shaft.position.y = (shaftTop + shaftBottom) / 2;
    shaft.name = "shaft";
    this.group.add(shaft);
    // A motor housing above the head plate.
    const motor = new Mesh(own.add(new CylinderGeometry(D * 0.3, D * 0.3, D * 0.6, 20)), own.add(new MeshStandardMaterial({ color: 0x44515a, roughness: 0.5 })));
    motor.position.y = shaftTop + D * 0.3;
    this.group.add(motor);

    const shape = BLADE_SHAPES[imp.type];
    const blades = Math.max(2, imp.blades || (imp.type === "marine" ? 3 : imp.type === "hydrofoil" ? 3 : imp.type === "rushton" ? 6 : 4));
    const bladeHeight = D * shape.heightPerD;
    const bladeThickness = Math.max(0.0008, D / 60);
    const hubRadius = Math.max(shaftRadius * 1.4, D / 10);
    const hub = own.add(new CylinderGeometry(hubRadius, hubRadius, bladeHeight * 1.1, 16));
    let bladeGeometry: BoxGeometry;
    let bladeCentre: number;
    let disc: CylinderGeometry | null = null;
    if (imp.type === "rushton") {
      // Blades D/4 long, half over a disc of 3D/4 (standard Rushton turbine proportions).
      bladeGeometry = own.add(new BoxGeometry(bladeThickness, bladeHeight, D / 4));
      bladeCentre = D / 2 - D / 8;
      disc = own.add(new CylinderGeometry(0.375 * D, 0.375 * D, bladeThickness, 32));
    } else {
      const length = D / 2 - hubRadius * 0.8;
      bladeGeometry = own.add(new BoxGeometry(bladeThickness * shape.chordScale, bladeHeight * shape.chordScale, length));
      bladeCentre = hubRadius * 0.8 + length / 2;
    }
    for (const y of heights) {
      const rotor = new Group();
      rotor.position.y = y;
      rotor.name = "impeller";
      rotor.add(new Mesh(hub, steel));
      if (disc) rotor.add(new Mesh(disc, steel));
      for (let i = 0; i < blades; i++) {
        const pivot = new Group();
        pivot.rotation.y = (i / blades) * Math.PI * 2;
        const blade = new Mesh(bladeGeometry, bladeMaterial);
        blade.position.z = bladeCentre;
        // Pitch: turn the blade about its own radial axis.
        blade.rotation.z = shape.pitchRad;
        pivot.add(blade);
        rotor.add(pivot);
      }
      this.rotors.push(rotor);
      this.group.add(rotor);
    }
  }

  /** Advances the rotation by dtS (s of animation time) at the displayed speed for `rpm`. Called every frame. */
  update(dtS: number, rpm: number): void {
    this.shownRevPerS = shownRevPerS(rpm);
    this.setAngle(this.angleRad + 2 * Math.PI * this.shownRevPerS * dtS);
  }

  /** Sets the rotation for animation time `timeS` at a constant speed `rpm` (the fixed-clock mode of tests). */
  setTime(timeS: number, rpm: number): void {
    this.shownRevPerS = shownRevPerS(rpm);
    this.setAngle(2 * Math.PI * this.shownRevPerS * timeS);
  }

  private setAngle(angleRad: number): void {
    this.angleRad = angleRad % (2 * Math.PI);
    for (const rotor of this.rotors) rotor.rotation.y = this.angleRad;
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
  }
}

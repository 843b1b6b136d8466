// The vessel in the 3D view: wall, head plate, baffles and the liquid, built from a
// VesselGeometry at true size (scene units are metres, y = 0 at the lowest point).
// Glass is transparent, steel is opaque with a cut-away facing the camera, single-use is a
// milky bag in a steel frame. The liquid is the inner shape clipped at the liquid height.
import {
  BoxGeometry,
  CircleGeometry,
  Color,
  CylinderGeometry,
  DoubleSide,
  FrontSide,
  Group,
  LatheGeometry,
  Mesh,
  MeshStandardMaterial,
  Plane,
  SRGBColorSpace,
  TorusGeometry,
  Vector2,
  Vector3,
} from "three";
import { bottomDepthM, liquidHeightM, type VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables } from "./disposables";
import { radiusAtM, wallProfile } from "./vessel-shape";

/** The opening of a steel vessel's cut-away, rad, centred on +z (towards the default camera). */
const STEEL_CUTAWAY_RAD = (110 * Math.PI) / 180;
const LATHE_SEGMENTS = 72;
/** The liquid sits just inside the wall so the two do not z-fight. */
const LIQUID_RADIUS_SCALE = 0.992;

/** Render order of transparent parts, back to front: bubbles, liquid, surface, wall. */
export const RENDER_ORDER = { cells: 0, bubbles: 1, liquid: 2, surface: 3, wall: 4 } as const;

export class VesselPart {
  readonly group = new Group();
  /** Height of the liquid surface above the lowest point, m. */
  liquidHeightM = 0;
  private readonly owned = new Disposables();
  private readonly liquidMaterial: MeshStandardMaterial;
  private readonly surfaceMaterial: MeshStandardMaterial;
  private readonly surface: Mesh;
  private readonly liquid: Mesh;
  /** Keeps the liquid below its surface: distance −y + h ≥ 0. */
  readonly clipPlane = new Plane(new Vector3(0, -1, 0), 0);
  /** Radial clearance of a baffle from the wall, m. */
  readonly baffleGapM: number;
  /** Whether the well-mixed liquid body is drawn (false while zone slabs draw the liquid instead). */
  private bodyShown = true;

  constructor(readonly vessel: VesselGeometry) {
    const g = vessel;
    const a = g.diameterM / 2;
    const H = g.heightM;
    const c = bottomDepthM(g);
    const own = this.owned;
    const steel = own.add(new MeshStandardMaterial({ color: 0xb7c0c7, metalness: 0.35, roughness: 0.38, side: DoubleSide }));
    const lathe = (profile: [number, number][], phiStart = 0, phiLength = Math.PI * 2) =>
      own.add(new LatheGeometry(profile.map(([r, y]) => new Vector2(r, y)), LATHE_SEGMENTS, phiStart, phiLength));

    // The wall.
    const cut = g.material === "steel" ? STEEL_CUTAWAY_RAD : 0;
    const wallMaterial =
      g.material === "glass"
        ? own.add(
            new MeshStandardMaterial({ color: 0xd8ecf3, transparent: true, opacity: 0.22, roughness: 0.08, metalness: 0, side: DoubleSide, depthWrite: false }),
          )
        : g.material === "single-use"
          ? own.add(
              new MeshStandardMaterial({ color: 0xf1f4ef, transparent: true, opacity: 0.3, roughness: 0.85, metalness: 0, side: DoubleSide, depthWrite: false }),
            )
          : steel;
    const wall = new Mesh(lathe(wallProfile(g), cut / 2, Math.PI * 2 - cut), wallMaterial);
    wall.name = "wall";
    wall.renderOrder = RENDER_ORDER.wall;
    this.group.add(wall);

    // Rims outline the wall: the top edge and, for a dished or round head, where it meets the cylinder.
    const rimTube = Math.max(0.0015, g.diameterM / 160);
    const rimMaterial = g.material === "glass" ? own.add(new MeshStandardMaterial({ color: 0x8fb3c2, roughness: 0.3 })) : steel;
    const rimGeometry = own.add(new TorusGeometry(a, rimTube, 8, LATHE_SEGMENTS, Math.PI * 2 - cut));
    const rimHeights = c > 0 ? [H, c] : [H, 0];
    for (const y of rimHeights) {
      const rim = new Mesh(rimGeometry, rimMaterial);
      rim.rotation.x = -Math.PI / 2;
      // The torus arc starts on +x and runs towards −z after the turn; start it past the cut-away.
      rim.rotation.z = Math.PI / 2 + cut / 2;
      rim.position.y = y;
      this.group.add(rim);
    }

    // The head plate (glass and steel) or the bag's top (single-use).
    const plateThickness = Math.max(0.004, g.diameterM / 40);
    if (g.material === "single-use") {
      const top = new Mesh(lathe([[0, H], [a, H]]), wallMaterial);
      top.renderOrder = RENDER_ORDER.wall;
      this.group.add(top);
      this.addFrame(a, H, steel);
    } else {
      const plate = new Mesh(lathe([[0, H + plateThickness], [a * 1.08, H + plateThickness], [a * 1.08, H], [0, H]], cut / 2, Math.PI * 2 - cut), steel);
      plate.name = "head-plate";
      this.group.add(plate);
    }

    // Baffles: steel strips along the wall, from the top of the head to near the rim.
    this.baffleGapM = a * 0.02;
    if (g.baffles > 0 && g.baffleWidthM > 0) {
      const thickness = Math.max(0.0015, g.diameterM / 100);
      const bottom = Math.max(c * 0.6, g.diameterM * 0.05);
      const top = H * 0.95;
      const baffleGeometry = own.add(new BoxGeometry(thickness, top - bottom, g.baffleWidthM));
      for (let i = 0; i < g.baffles; i++) {
        const pivot = new Group();
        pivot.rotation.y = (i / g.baffles) * Math.PI * 2 + Math.PI / g.baffles;
        const baffle = new Mesh(baffleGeometry, steel);
        baffle.position.set(0, (top + bottom) / 2, a - this.baffleGapM - g.baffleWidthM / 2);
        pivot.add(baffle);
        this.group.add(pivot);
      }
    }

    // The liquid: the inner shape, clipped at the surface, and the surface as a disc.
    this.liquidMaterial = own.add(
      new MeshStandardMaterial({
        color: 0xc9304a,
        transparent: true,
        opacity: 0.5,
        roughness: 0.35,
        metalness: 0,
        side: FrontSide,
        depthWrite: false,
        clippingPlanes: [this.clipPlane],
      }),
    );
    this.liquid = new Mesh(lathe(wallProfile(g, LIQUID_RADIUS_SCALE)), this.liquidMaterial);
    this.liquid.name = "liquid";
    this.liquid.renderOrder = RENDER_ORDER.liquid;
    this.group.add(this.liquid);
    this.surfaceMaterial = own.add(
      new MeshStandardMaterial({ color: 0xc9304a, transparent: true, opacity: 0.55, roughness: 0.2, side: DoubleSide, depthWrite: false }),
    );
    const disc = own.add(new CircleGeometry(1, LATHE_SEGMENTS));
    disc.rotateX(-Math.PI / 2);
    this.surface = new Mesh(disc, this.surfaceMaterial);
    this.surface.name = "liquid-surface";
    this.surface.renderOrder = RENDER_ORDER.surface;
    this.group.add(this.surface);
    this.setVolume(Number.NaN);
  }

  /** Sets the liquid to `volumeL` (NaN or ≤ 0: empty). Called when a new snapshot arrives. */
  setVolume(volumeL: number): void {
    const h = Math.min(this.vessel.heightM, Number.isFinite(volumeL) ? liquidHeightM(this.vessel, volumeL) : 0);
    this.liquidHeightM = h;
    this.clipPlane.constant = h;
    const r = radiusAtM(this.vessel, h) * LIQUID_RADIUS_SCALE;
    this.surface.visible = h > 0 && r > 0;
    this.liquid.visible = h > 0 && this.bodyShown;
    this.surface.scale.set(Math.max(r, 1e-6), 1, Math.max(r, 1e-6));
    this.surface.position.y = h;
  }

  /** Colours the liquid (sRGB components 0..1). */
  setLiquidColor(rgb: readonly [number, number, number]): void {
    this.liquidMaterial.color.setRGB(rgb[0], rgb[1], rgb[2], SRGBColorSpace);
    this.surfaceMaterial.color.copy(this.liquidMaterial.color);
  }

  /** Colours the surface alone (sRGB components 0..1): the top zone's colour when zones draw the liquid. */
  setSurfaceColor(rgb: readonly [number, number, number]): void {
    this.surfaceMaterial.color.setRGB(rgb[0], rgb[1], rgb[2], SRGBColorSpace);
  }

  /** Shows or hides the well-mixed liquid body (the surface stays); hidden while zone slabs draw the liquid. */
  showBody(shown: boolean): void {
    this.bodyShown = shown;
    this.liquid.visible = shown && this.liquidHeightM > 0;
  }

  /** The liquid's colour as #rrggbb (for tests). */
  get liquidColorHex(): string {
    return `#${this.liquidMaterial.color.getHexString(SRGBColorSpace)}`;
  }

  get liquidColor(): Color {
    return this.liquidMaterial.color;
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
  }

  /** The steel frame that holds a single-use bag: hoops and posts just outside it. */
  private addFrame(a: number, H: number, steel: MeshStandardMaterial): void {
    const r = a * 1.05;
    const tube = Math.max(0.003, a / 60);
    const hoop = this.owned.add(new TorusGeometry(r, tube, 8, LATHE_SEGMENTS));
    for (const y of [0.02 * H, 0.5 * H, 0.98 * H]) {
      const mesh = new Mesh(hoop, steel);
      mesh.rotation.x = -Math.PI / 2;
      mesh.position.y = y;
      this.group.add(mesh);
    }
    const post = this.owned.add(new CylinderGeometry(tube * 1.6, tube * 1.6, H, 8));
    for (let i = 0; i < 4; i++) {
      const angle = Math.PI / 4 + (i * Math.PI) / 2;
      const mesh = new Mesh(post, steel);
      mesh.position.set(Math.sin(angle) * r, H / 2, Math.cos(angle) * r);
      this.group.add(mesh);
    }
  }
}

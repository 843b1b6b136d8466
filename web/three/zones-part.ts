// The zones of a compartment model in the 3D view (docs/model.md §11): the liquid drawn as
// horizontal slabs, zone 0 at the top, each slab the liquid's shape clipped between two
// planes and coloured on its own, with thin rings where two zones meet. Slab heights
// follow the zones' volume fractions at the current volume (every zone keeps its share
// of the liquid as the level moves, §11.1). Pickable: a height on the liquid maps to a zone.
import {
  BufferGeometry,
  Float32BufferAttribute,
  FrontSide,
  Group,
  LatheGeometry,
  LineBasicMaterial,
  LineLoop,
  Mesh,
  MeshStandardMaterial,
  Plane,
  Raycaster,
  SRGBColorSpace,
  Vector2,
  Vector3,
} from "three";
import { liquidHeightM, type VesselGeometry } from "../../engine/vessel/geometry";
import { Disposables } from "./disposables";
import { radiusAtM, wallProfile } from "./vessel-shape";
import { RENDER_ORDER } from "./vessel-part";

const LATHE_SEGMENTS = 72;
/** As the well-mixed liquid (vessel-part.ts): just inside the wall. */
const LIQUID_RADIUS_SCALE = 0.992;
/** Rings between zones sit just outside the liquid so they are not hidden by it. */
const RING_RADIUS_SCALE = 0.996;
const SLAB_OPACITY = 0.5;
/** A hovered or focused slab is drawn more opaque. */
const HIGHLIGHT_OPACITY = 0.85;
/** Opacity of the rings between zones: at most RING_OPACITY_MAX, RING_OPACITY_ZONES / count with many zones. */
const RING_OPACITY_MAX = 0.6;
const RING_OPACITY_ZONES = 6;

export class ZonesPart {
  readonly group = new Group();
  readonly count: number;
  /** Heights of the zone boundaries above the lowest point, m: bounds[z] is the top of zone z, bounds[count] = 0. */
  readonly boundsM: Float64Array;
  private readonly owned = new Disposables();
  private readonly geometry: LatheGeometry;
  private readonly slabs: Mesh[] = [];
  private readonly materials: MeshStandardMaterial[] = [];
  /** Per zone: keeps y ≤ top and y ≥ bottom. */
  private readonly tops: Plane[] = [];
  private readonly bottoms: Plane[] = [];
  private readonly rings: LineLoop[] = [];
  private highlighted: number | null = null;
  private readonly hitPoint = new Vector3();

  /** @param count - number of zones (≥ 1) */
  constructor(
    private readonly vessel: VesselGeometry,
    count: number,
  ) {
    this.count = Math.max(1, Math.floor(count));
    this.boundsM = new Float64Array(this.count + 1);
    const own = this.owned;
    this.geometry = own.add(new LatheGeometry(wallProfile(vessel, LIQUID_RADIUS_SCALE).map(([r, y]) => new Vector2(r, y)), LATHE_SEGMENTS));
    for (let z = 0; z < this.count; z++) {
      const top = new Plane(new Vector3(0, -1, 0), 0);
      const bottom = new Plane(new Vector3(0, 1, 0), 0);
      const material = own.add(
        new MeshStandardMaterial({
          color: 0xb8c2c8,
          transparent: true,
          opacity: SLAB_OPACITY,
          roughness: 0.35,
          metalness: 0,
          side: FrontSide,
          depthWrite: false,
          clippingPlanes: [top, bottom],
        }),
      );
      const slab = new Mesh(this.geometry, material);
      slab.name = `zone-${z}`;
      slab.userData.zone = z;
      slab.renderOrder = RENDER_ORDER.liquid;
      this.tops.push(top);
      this.bottoms.push(bottom);
      this.materials.push(material);
      this.slabs.push(slab);
      this.group.add(slab);
    }
    // A unit circle in the xz plane, scaled to the wall's radius at each boundary.
    const points: number[] = [];
    for (let i = 0; i < LATHE_SEGMENTS; i++) {
      const a = (i / LATHE_SEGMENTS) * Math.PI * 2;
      points.push(Math.sin(a), 0, Math.cos(a));
    }
    const circle = own.add(new BufferGeometry());
    circle.setAttribute("position", new Float32BufferAttribute(points, 3));
    // Many zones would hatch the liquid with rings: the more zones, the fainter each ring.
    const ringOpacity = Math.min(RING_OPACITY_MAX, RING_OPACITY_ZONES / this.count);
    const ringMaterial = own.add(new LineBasicMaterial({ color: 0xffffff, transparent: true, opacity: ringOpacity, depthWrite: false }));
    for (let b = 1; b < this.count; b++) {
      const ring = new LineLoop(circle, ringMaterial);
      ring.name = `zone-boundary-${b}`;
      ring.renderOrder = RENDER_ORDER.surface;
      this.rings.push(ring);
      this.group.add(ring);
    }
  }

  /**
   * Places the slabs for the liquid at `volumeL` (its surface at `surfaceM`, m): zone z's
   * bottom where the volume below is volumeL × (the fractions of the zones under it).
   * `fractions` top first, summing to 1; null: equal-height slices of the current liquid.
   * Called when a new snapshot arrives or the zones change.
   */
  layout(volumeL: number, surfaceM: number, fractions: readonly number[] | null): void {
    const n = this.count;
    const h = Math.max(0, surfaceM);
    const usable = fractions !== null && fractions.length === n && Number.isFinite(volumeL) && volumeL > 0;
    let below = 1;
    this.boundsM[0] = h;
    for (let z = 0; z < n; z++) {
      if (usable) {
        below -= fractions[z];
        this.boundsM[z + 1] = z === n - 1 ? 0 : Math.min(h, liquidHeightM(this.vessel, Math.max(0, below) * volumeL));
      } else {
        this.boundsM[z + 1] = z === n - 1 ? 0 : h * (1 - (z + 1) / n);
      }
    }
    for (let z = 0; z < n; z++) {
      this.tops[z].constant = this.boundsM[z];
      this.bottoms[z].constant = -this.boundsM[z + 1];
      this.slabs[z].visible = h > 0 && this.boundsM[z] > this.boundsM[z + 1];
    }
    this.rings.forEach((ring, i) => {
      const y = this.boundsM[i + 1];
      const r = radiusAtM(this.vessel, y) * RING_RADIUS_SCALE;
      ring.visible = h > 0 && r > 0;
      ring.scale.set(Math.max(r, 1e-6), 1, Math.max(r, 1e-6));
      ring.position.y = y;
    });
  }

  /** Colours zone z (sRGB components 0..1). */
  setColor(z: number, rgb: readonly [number, number, number]): void {
    this.materials[z]?.color.setRGB(rgb[0], rgb[1], rgb[2], SRGBColorSpace);
  }

  /** Zone z's colour as #rrggbb (for tests). */
  colorHex(z: number): string {
    const material = this.materials[z];
    return material ? `#${material.color.getHexString(SRGBColorSpace)}` : "";
  }

  /** Draws zone z more opaque (null: none). */
  highlight(z: number | null): void {
    if (z === this.highlighted) return;
    if (this.highlighted !== null && this.materials[this.highlighted]) this.materials[this.highlighted].opacity = SLAB_OPACITY;
    this.highlighted = z !== null && z >= 0 && z < this.count ? z : null;
    if (this.highlighted !== null) this.materials[this.highlighted].opacity = HIGHLIGHT_OPACITY;
  }

  /** The zone at height yM, m (null: outside the liquid). */
  zoneAtHeight(yM: number): number | null {
    if (!(yM >= 0) || !(yM <= this.boundsM[0]) || this.boundsM[0] <= 0) return null;
    for (let z = 0; z < this.count; z++) if (yM >= this.boundsM[z + 1]) return z;
    return this.count - 1;
  }

  /**
   * The zone the ray hits first: on the liquid's side or bottom (below the surface), or on
   * the surface itself (zone 0). null: the ray misses the liquid.
   */
  pick(raycaster: Raycaster): number | null {
    const h = this.boundsM[0];
    if (!(h > 0)) return null;
    const hits = raycaster.intersectObject(this.slabs[0], false);
    let best: { distance: number; zone: number } | null = null;
    for (const hit of hits) {
      const zone = this.zoneAtHeight(hit.point.y);
      if (zone !== null) {
        best = { distance: hit.distance, zone };
        break;
      }
    }
    // The surface: a disc at y = h of the wall's radius there.
    const ray = raycaster.ray;
    if (Math.abs(ray.direction.y) > 1e-9) {
      const t = (h - ray.origin.y) / ray.direction.y;
      if (t > 0 && (best === null || t < best.distance)) {
        this.hitPoint.copy(ray.origin).addScaledVector(ray.direction, t);
        const r = radiusAtM(this.vessel, h) * LIQUID_RADIUS_SCALE;
        if (this.hitPoint.x ** 2 + this.hitPoint.z ** 2 <= r * r) best = { distance: t, zone: 0 };
      }
    }
    return best?.zone ?? null;
  }

  /** The point on the front of the liquid (towards +z) at zone z's mid-height, in scene units (m). */
  frontPoint(z: number, out: Vector3): Vector3 {
    const mid = (this.boundsM[z] + this.boundsM[z + 1]) / 2;
    return out.set(0, mid, radiusAtM(this.vessel, mid) * LIQUID_RADIUS_SCALE);
  }

  dispose(): void {
    this.owned.dispose();
    this.group.clear();
  }
}

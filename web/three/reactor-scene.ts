// The 3D reactor scene: one owner for the renderer, camera, orbit controls, lights and the
// scene parts of one vessel (vessel, impellers, sparger and bubbles, cells, probes and
// ports, scale reference). The element <bt-reactor-view> creates it after a dynamic
// import, hands it snapshots and calls frame() from its own animation loop.
import {
  Box3,
  Color,
  DirectionalLight,
  HemisphereLight,
  PerspectiveCamera,
  Raycaster,
  Scene,
  Spherical,
  SRGBColorSpace,
  Vector2,
  Vector3,
  WebGLRenderer,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import type { VesselGeometry } from "../../engine/vessel/geometry";
import { CellsPart, SWIRL_PER_IMPELLER_TURN } from "./cells-part";
import { ImpellerPart } from "./impeller-part";
import { fieldColor, LIQUID_FIELDS, type LiquidField } from "./liquid-fields";
import { ProbesPart } from "./probes-part";
import type { ProbeId, ReactorSnapshot, ReactorZones } from "./reactor-snapshot";
import { ScaleReferencePart } from "./scale-reference-part";
import { SpargerPart } from "./sparger-part";
import { VesselPart } from "./vessel-part";
import { ZonesPart } from "./zones-part";

const FOV_DEG = 32;
/** Direction from the framed centre to the default camera: in front, a little right and above. */
const VIEW_DIRECTION = new Vector3(0.28, 0.3, 1).normalize();
/** Margin around the framed box, as a share of the fitting distance. */
const FRAME_MARGIN = 1.12;
/** Longest animation step, s: a background tab or a slow frame does not jump the picture. */
const MAX_STEP_S = 0.1;
/** A volume rise beyond this share of the volume between two snapshots (net of base) is a bolus. */
const BOLUS_SHARE = 0.002;
/** Cell point size in CSS px. */
const CELL_POINT_PX = 1.5;
const KEY_ORBIT_RAD = (10 * Math.PI) / 180;

export interface ReactorSceneOptions {
  seed: number;
  maxCells: number;
  pixelRatio: number;
}

/** What the scene shows, for tests and the benchmark. */
export interface ReactorDebugState {
  liquidHeightM: number;
  liquidColor: string;
  drawnCells: number;
  visibleBubbles: number;
  impellerShownRevPerS: number;
  impellerAngleRad: number;
  feedFlashing: boolean;
  baseFlashing: boolean;
  animationTimeS: number;
  frames: number;
  cameraDistanceM: number;
  /** Zone slabs drawn (0: the well-mixed liquid). */
  zoneSlabs: number;
  /** Colour of each zone's slab, top first (#rrggbb). */
  zoneColors: string[];
  /** Heights of the zone boundaries, m, top first (count + 1 values, the last 0). */
  zoneBoundsM: number[];
  /** The viable cells take their colours from a lifeline distribution (else all viable green). */
  cellsFromDistribution: boolean;
  /** The cells stand for lifeline agents, each kept to its zone's band. */
  cellsAsAgents: boolean;
  /** The cells are coloured by their agents' own values. */
  cellsByAgentValue: boolean;
}

interface VesselParts {
  vessel: VesselPart;
  impeller: ImpellerPart;
  sparger: SpargerPart;
  cells: CellsPart;
  probes: ProbesPart;
  reference: ScaleReferencePart;
}

export class ReactorScene {
  readonly renderer: WebGLRenderer;
  readonly camera = new PerspectiveCamera(FOV_DEG, 1, 0.01, 100);
  readonly controls: OrbitControls;
  private readonly scene = new Scene();
  private readonly hemisphere = new HemisphereLight(0xffffff, 0x5d6b73, 1.7);
  private readonly sun = new DirectionalLight(0xffffff, 1.9);
  private readonly raycaster = new Raycaster();
  private readonly pointer = new Vector2();
  private parts: VesselParts | null = null;
  /** The zones' slabs; null: a well-mixed liquid (or no vessel). */
  private zonesPart: ZonesPart | null = null;
  private zones: ReactorZones | null = null;
  private vessel: VesselGeometry | null = null;
  private field: LiquidField = "do";
  private snapshot: ReactorSnapshot | null = null;
  private previous = { volumeL: Number.NaN, baseAddedL: Number.NaN, timeH: Number.NaN };
  private readonly rgb: [number, number, number] = [0, 0, 0];
  private maxCells: number;
  /** The cells' colour table (cell-colours.ts); null: viable or dead. */
  private cellColourTable: Uint8Array | null = null;
  private agentBands: Float32Array | null = null;
  private agentValues: Float32Array | null = null;
  private seed: number;
  private pixelRatio: number;
  private width = 1;
  private height = 1;
  private lastNowMs = Number.NaN;
  private animationTimeS = 0;
  private swirlRad = 0;
  private frames = 0;
  private dirty = true;
  private userMoved = false;
  private readonly home = { position: new Vector3(), target: new Vector3() };
  /** Box the camera frames: the vessel and its scale reference. */
  private readonly framed = new Box3();

  constructor(canvas: HTMLCanvasElement, context: WebGL2RenderingContext, options: ReactorSceneOptions) {
    this.seed = options.seed;
    this.maxCells = options.maxCells;
    this.pixelRatio = options.pixelRatio;
    this.renderer = new WebGLRenderer({ canvas, context });
    this.renderer.setPixelRatio(this.pixelRatio);
    this.renderer.localClippingEnabled = true;
    this.renderer.outputColorSpace = SRGBColorSpace;
    this.scene.background = new Color(0xeef2f4);
    this.scene.add(this.hemisphere, this.sun, this.sun.target);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.enableDamping = false;
    this.controls.addEventListener("start", this.onControlsStart);
    this.controls.addEventListener("change", this.onControlsChange);
  }

  /** Builds the parts for a vessel (null: empty scene), disposing the previous ones. */
  setVessel(vessel: VesselGeometry | null): void {
    this.disposeParts();
    this.vessel = vessel;
    this.dirty = true;
    if (!vessel) return;
    const parts: VesselParts = {
      vessel: new VesselPart(vessel),
      impeller: new ImpellerPart(vessel),
      sparger: new SpargerPart(vessel, this.seed),
      cells: new CellsPart(vessel, this.maxCells, this.seed, CELL_POINT_PX * this.pixelRatio),
      probes: new ProbesPart(vessel),
      reference: new ScaleReferencePart(vessel),
    };
    parts.cells.setClipping([parts.vessel.clipPlane]);
    parts.cells.setColourTable(this.cellColourTable);
    parts.cells.setAgents(this.agentBands, this.agentValues);
    this.scene.add(parts.vessel.group, parts.impeller.group, parts.sparger.group, parts.cells.points, parts.probes.group, parts.reference.group);
    this.parts = parts;
    this.buildZones();
    const a = vessel.diameterM / 2;
    this.framed.makeEmpty();
    this.framed.expandByPoint(new Vector3(-a, 0, -a));
    this.framed.expandByPoint(new Vector3(a, vessel.heightM * 1.08 + vessel.impeller.diameterM * 0.6, a));
    this.framed.union(parts.reference.bounds);
    const size = this.framed.getSize(new Vector3()).length();
    this.sun.position.set(size * 0.6, size * 1.2, size * 0.9);
    this.camera.near = size / 200;
    this.camera.far = size * 20;
    this.controls.minDistance = size * 0.05;
    this.controls.maxDistance = size * 6;
    this.userMoved = false;
    this.frameCamera();
    this.previous = { volumeL: Number.NaN, baseAddedL: Number.NaN, timeH: Number.NaN };
    if (this.snapshot) this.setSnapshot(this.snapshot);
  }

  /** Places bubbles and cells anew for another seed (rebuilds the parts). */
  setSeed(seed: number): void {
    if (seed === this.seed) return;
    this.seed = seed;
    this.setVessel(this.vessel);
  }

  /** Rebuilds the cell cloud for a new capacity. */
  setMaxCells(maxCells: number): void {
    if (maxCells === this.maxCells) return;
    this.maxCells = maxCells;
    const parts = this.parts;
    if (!parts || !this.vessel) return;
    this.scene.remove(parts.cells.points);
    parts.cells.dispose();
    parts.cells = new CellsPart(this.vessel, maxCells, this.seed, CELL_POINT_PX * this.pixelRatio);
    parts.cells.setClipping([parts.vessel.clipPlane]);
    parts.cells.setColourTable(this.cellColourTable);
    parts.cells.setAgents(this.agentBands, this.agentValues);
    this.scene.add(parts.cells.points);
    if (this.snapshot) this.applyCells(this.snapshot);
    this.dirty = true;
  }

  /**
   * Draws the liquid as zone slabs coloured by `zones.values` (null: the well-mixed liquid).
   * Rebuilds the slabs when the zone count changes; otherwise only recolours and re-places them.
   */
  setZones(zones: ReactorZones | null): void {
    const rebuild = (zones?.count ?? 0) !== (this.zones?.count ?? 0);
    this.zones = zones && zones.count > 0 ? zones : null;
    if (rebuild) this.buildZones();
    else {
      this.layoutZones();
      this.colourLiquid();
    }
  }

  /** Draws the cells as lifeline agents (CellsPart.setAgents); null: spread over the liquid. Kept across rebuilt parts. */
  setAgents(bands: Float32Array | null, values: Float32Array | null): void {
    this.agentBands = bands;
    this.agentValues = values;
    this.parts?.cells.setAgents(bands, values);
    this.dirty = true;
  }

  /** Colours the viable cells from `table` (cellColourTable), or null for viable/dead only; kept across rebuilt parts. */
  setCellColours(table: Uint8Array | null): void {
    this.cellColourTable = table;
    this.parts?.cells.setColourTable(table);
    this.dirty = true;
  }

  setField(field: LiquidField): void {
    this.field = field;
    this.colourLiquid();
  }

  /** Takes the latest snapshot (the object may be reused by the caller). Called when the run's version changes. */
  setSnapshot(snapshot: ReactorSnapshot): void {
    this.snapshot = snapshot;
    this.dirty = true;
    const parts = this.parts;
    if (!parts) return;
    const prev = this.previous;
    // Additions: only between successive rows of the same run, never across a reset.
    if (snapshot.timeH > prev.timeH) {
      const baseRise = snapshot.baseAddedL - prev.baseAddedL;
      if (baseRise > 0) parts.probes.addition("base", this.animationTimeS);
      const netRise = snapshot.volumeL - prev.volumeL - (baseRise > 0 ? baseRise : 0);
      if (netRise > BOLUS_SHARE * prev.volumeL) parts.probes.addition("feed", this.animationTimeS);
    }
    parts.probes.setContinuous("feed", snapshot.feedRateLPerH > 0);
    prev.volumeL = snapshot.volumeL;
    prev.baseAddedL = snapshot.baseAddedL;
    prev.timeH = snapshot.timeH;
    parts.vessel.setVolume(snapshot.volumeL);
    this.layoutZones();
    this.applyCells(snapshot);
    this.colourLiquid();
  }

  /** Sets the drawing-buffer size in CSS px. */
  resize(width: number, height: number): void {
    if (width <= 0 || height <= 0) return;
    this.width = width;
    this.height = height;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    if (!this.userMoved) this.frameCamera();
    this.dirty = true;
  }

  /**
   * Advances the animation to `nowMs` (ms, from the element's clock) unless paused, and
   * renders when anything changed. Called once per animation frame. With `absolute`, the
   * animation is a function of nowMs alone (time nowMs/1000 s), so a fixed clock gives a
   * fixed picture; otherwise it accumulates frame steps. Returns whether it rendered.
   */
  frame(nowMs: number, paused: boolean, absolute = false): boolean {
    const dtS = Number.isFinite(this.lastNowMs) ? Math.min(MAX_STEP_S, Math.max(0, (nowMs - this.lastNowMs) / 1000)) : 0;
    this.lastNowMs = nowMs;
    const parts = this.parts;
    if (parts && !paused) {
      const snap = this.snapshot;
      const rpm = snap?.agitationRpm ?? 0;
      if (absolute) {
        this.animationTimeS = nowMs / 1000;
        parts.impeller.setTime(this.animationTimeS, rpm);
        this.swirlRad = 2 * Math.PI * parts.impeller.shownRevPerS * SWIRL_PER_IMPELLER_TURN * this.animationTimeS;
      } else {
        this.animationTimeS += dtS;
        parts.impeller.update(dtS, rpm);
        this.swirlRad += 2 * Math.PI * parts.impeller.shownRevPerS * SWIRL_PER_IMPELLER_TURN * dtS;
      }
      parts.cells.setSwirl(this.swirlRad);
      parts.sparger.update(this.animationTimeS, snap?.gasFlowLPerMin ?? 0, snap?.volumeL ?? 0, parts.vessel.liquidHeightM);
      parts.probes.update(this.animationTimeS, parts.vessel.liquidHeightM);
      this.dirty = true;
    }
    if (!this.dirty) return false;
    this.dirty = false;
    this.renderer.render(this.scene, this.camera);
    this.frames++;
    return true;
  }

  /** Forces the next frame() to render. */
  invalidate(): void {
    this.dirty = true;
  }

  /** The probe under a point given in CSS px from the canvas's top left, or null. */
  pick(xPx: number, yPx: number): ProbeId | null {
    const parts = this.parts;
    if (!parts) return null;
    this.pointer.set((xPx / this.width) * 2 - 1, -(yPx / this.height) * 2 + 1);
    this.raycaster.setFromCamera(this.pointer, this.camera);
    const hit = this.raycaster.intersectObjects(parts.probes.pickables, false)[0];
    return (hit?.object.userData.probe as ProbeId | undefined) ?? null;
  }

  /** The zone under a point given in CSS px from the canvas's top left, or null (no zones, or off the liquid). */
  pickZone(xPx: number, yPx: number): number | null {
    const zones = this.zonesPart;
    if (!zones) return null;
    this.pointer.set((xPx / this.width) * 2 - 1, -(yPx / this.height) * 2 + 1);
    this.raycaster.setFromCamera(this.pointer, this.camera);
    return zones.pick(this.raycaster);
  }

  /** Lights up a zone's slab (null: none). */
  highlightZone(z: number | null): void {
    this.zonesPart?.highlight(z);
    this.dirty = true;
  }

  /** Where zone z's front at mid-height is on the canvas, in CSS px (null: no such zone). For read-outs and tests. */
  zoneScreenPx(z: number): [number, number] | null {
    const zones = this.zonesPart;
    if (!zones || z < 0 || z >= zones.count) return null;
    const p = zones.frontPoint(z, new Vector3()).project(this.camera);
    return [((p.x + 1) / 2) * this.width, ((1 - p.y) / 2) * this.height];
  }

  /** Zone z's top and bottom heights above the lowest point, m (null: no such zone). */
  zoneBoundsM(z: number): [number, number] | null {
    const zones = this.zonesPart;
    if (!zones || z < 0 || z >= zones.count) return null;
    return [zones.boundsM[z], zones.boundsM[z + 1]];
  }

  /** Where a probe's tip is on the canvas, in CSS px from its top left (null: no such probe). For tests. */
  probeScreenPx(id: ProbeId): [number, number] | null {
    const mesh = this.parts?.probes.pickables.filter((m) => m.userData.probe === id)[1];
    if (!mesh) return null;
    const p = mesh.getWorldPosition(new Vector3()).project(this.camera);
    return [((p.x + 1) / 2) * this.width, ((1 - p.y) / 2) * this.height];
  }

  /** Lights up a probe (null: none). */
  highlightProbe(id: ProbeId | null): void {
    this.parts?.probes.highlight(id);
    this.dirty = true;
  }

  /** Back to the framed view of the vessel. */
  resetView(): void {
    this.userMoved = false;
    this.frameCamera();
    this.dirty = true;
  }

  /** Turns the camera about the target: dAzimuth and dPolar in steps of KEY_ORBIT_RAD (keyboard). */
  orbitBy(dAzimuthSteps: number, dPolarSteps: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    const s = new Spherical().setFromVector3(offset);
    s.theta += dAzimuthSteps * KEY_ORBIT_RAD;
    s.phi = Math.min(Math.PI - 0.05, Math.max(0.05, s.phi + dPolarSteps * KEY_ORBIT_RAD));
    this.camera.position.copy(this.controls.target).add(offset.setFromSpherical(s));
    this.userMoved = true;
    this.controls.update();
    this.dirty = true;
  }

  /** Moves the camera towards (factor < 1) or away from (factor > 1) the target (keyboard). */
  zoomBy(factor: number): void {
    const offset = this.camera.position.clone().sub(this.controls.target);
    const length = Math.min(this.controls.maxDistance, Math.max(this.controls.minDistance, offset.length() * factor));
    this.camera.position.copy(this.controls.target).add(offset.setLength(length));
    this.userMoved = true;
    this.controls.update();
    this.dirty = true;
  }

  debugState(): ReactorDebugState {
    const parts = this.parts;
    return {
      liquidHeightM: parts?.vessel.liquidHeightM ?? 0,
      liquidColor: parts?.vessel.liquidColorHex ?? "",
      drawnCells: parts?.cells.drawnCells ?? 0,
      cellsFromDistribution: parts?.cells.colouredByTable ?? false,
      cellsAsAgents: this.agentBands !== null,
      cellsByAgentValue: this.agentValues !== null,
      visibleBubbles: parts?.sparger.visibleBubbles ?? 0,
      impellerShownRevPerS: parts?.impeller.shownRevPerS ?? 0,
      impellerAngleRad: parts?.impeller.angleRad ?? 0,
      feedFlashing: parts?.probes.flashing("feed", this.animationTimeS) ?? false,
      baseFlashing: parts?.probes.flashing("base", this.animationTimeS) ?? false,
      animationTimeS: this.animationTimeS,
      frames: this.frames,
      cameraDistanceM: this.camera.position.distanceTo(this.controls.target),
      zoneSlabs: this.zonesPart ? this.zonesPart.group.children.filter((c) => c.userData.zone !== undefined && c.visible).length : 0,
      zoneColors: this.zonesPart ? Array.from({ length: this.zonesPart.count }, (_, z) => this.zonesPart!.colorHex(z)) : [],
      zoneBoundsM: this.zonesPart ? Array.from(this.zonesPart.boundsM) : [],
    };
  }

  /** What the scale reference shows, for the caption ("" before a vessel). */
  get scaleDescription(): string {
    return this.parts?.reference.description ?? "";
  }

  /** Disposes every part, the controls and the renderer, and lets the WebGL context go. */
  dispose(): void {
    this.disposeParts();
    this.controls.removeEventListener("start", this.onControlsStart);
    this.controls.removeEventListener("change", this.onControlsChange);
    this.controls.dispose();
    this.scene.clear();
    this.renderer.renderLists.dispose();
    this.renderer.dispose();
    this.renderer.forceContextLoss();
  }

  private readonly onControlsStart = () => {
    this.userMoved = true;
  };

  private readonly onControlsChange = () => {
    this.dirty = true;
  };

  private applyCells(snapshot: ReactorSnapshot): void {
    this.parts?.cells.setState(snapshot.cellFill, snapshot.deadShare, this.parts.vessel.liquidHeightM);
  }

  private colourLiquid(): void {
    const parts = this.parts;
    if (!parts) return;
    const spec = LIQUID_FIELDS[this.field];
    const value = this.snapshot?.fields[this.field] ?? Number.NaN;
    parts.vessel.setLiquidColor(fieldColor(spec, value, this.rgb));
    const zonesPart = this.zonesPart;
    const zones = this.zones;
    if (zonesPart && zones) {
      for (let z = 0; z < zonesPart.count; z++) zonesPart.setColor(z, fieldColor(spec, zones.values[z] ?? Number.NaN, this.rgb));
      parts.vessel.setSurfaceColor(fieldColor(spec, zones.values[0] ?? Number.NaN, this.rgb));
    }
    this.dirty = true;
  }

  /** Replaces the zone slabs for the current zones and vessel (disposing the old ones). */
  private buildZones(): void {
    const old = this.zonesPart;
    if (old) {
      this.scene.remove(old.group);
      old.dispose();
      this.zonesPart = null;
    }
    const parts = this.parts;
    if (parts && this.vessel && this.zones) {
      this.zonesPart = new ZonesPart(this.vessel, this.zones.count);
      this.scene.add(this.zonesPart.group);
    }
    parts?.vessel.showBody(this.zonesPart === null);
    this.layoutZones();
    this.colourLiquid();
  }

  private layoutZones(): void {
    const zonesPart = this.zonesPart;
    const parts = this.parts;
    if (!zonesPart || !parts) return;
    zonesPart.layout(this.snapshot?.volumeL ?? Number.NaN, parts.vessel.liquidHeightM, this.zones?.fractions ?? null);
    this.dirty = true;
  }

  /** Puts the camera where the framed box fills the view. */
  private frameCamera(): void {
    if (this.framed.isEmpty()) return;
    const centre = this.framed.getCenter(new Vector3());
    const size = this.framed.getSize(new Vector3());
    const halfTan = Math.tan((FOV_DEG * Math.PI) / 360);
    const aspect = this.camera.aspect || 1;
    const fitHeight = size.y / 2 / halfTan;
    const fitWidth = size.x / 2 / (halfTan * aspect);
    const distance = Math.max(fitHeight, fitWidth) * FRAME_MARGIN + size.z / 2;
    this.controls.target.copy(centre);
    this.camera.position.copy(centre).addScaledVector(VIEW_DIRECTION, distance);
    this.camera.lookAt(centre);
    this.home.position.copy(this.camera.position);
    this.home.target.copy(centre);
    this.controls.update();
    this.dirty = true;
  }

  private disposeParts(): void {
    if (this.zonesPart) {
      this.scene.remove(this.zonesPart.group);
      this.zonesPart.dispose();
      this.zonesPart = null;
    }
    const parts = this.parts;
    if (!parts) return;
    this.scene.remove(parts.vessel.group, parts.impeller.group, parts.sparger.group, parts.cells.points, parts.probes.group, parts.reference.group);
    parts.vessel.dispose();
    parts.impeller.dispose();
    parts.sparger.dispose();
    parts.cells.dispose();
    parts.probes.dispose();
    parts.reference.dispose();
    this.parts = null;
  }
}

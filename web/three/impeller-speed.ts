// How fast the 3D view shows an impeller turning for its true speed. Plain arithmetic,
// shared by the scene (web/three/impeller-part.ts) and the element's caption.

/** Highest displayed impeller speed, rev/s: fast stirring approaches it but never strobes at 60 frames/s. */
export const SHOWN_REV_PER_S_MAX = 3;
const S_PER_MIN = 60;

/**
 * The displayed impeller speed (rev/s) for a true speed in rpm: 3·(1 − e^(−n/3)) for n true
 * rev/s. Monotonic, so a speed-up stays visible; about true for slow large tanks (80 rpm
 * shows 1.07 rev/s for 1.33 true), compressed for fast bench stirrers (300 rpm shows 2.4).
 */
export function shownRevPerS(rpm: number): number {
  if (!(rpm > 0)) return 0;
  const trueRevPerS = rpm / S_PER_MIN;
  return SHOWN_REV_PER_S_MAX * (1 - Math.exp(-trueRevPerS / SHOWN_REV_PER_S_MAX));
}

// An owner for three.js resources (geometries, materials, textures, controls): each
// scene part keeps one, adds what it creates, and disposes them all in one call.

export interface Disposable {
  dispose(): void;
}

export class Disposables {
  private items: Disposable[] = [];

  /** Takes ownership of `item` and returns it. */
  add<T extends Disposable>(item: T): T {
    this.items.push(item);
    return item;
  }

  /** Disposes everything owned, newest first; the owner can be reused afterwards. */
  dispose(): void {
    for (let i = this.items.length - 1; i >= 0; i--) this.items[i].dispose();
    this.items = [];
  }

  get size(): number {
    return this.items.length;
  }
}

export { seededRandom } from "../model/seeded-random";

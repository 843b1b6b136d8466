// Share links: the scenario as compact JSON, compressed (deflate, the browser's own
// CompressionStream) and base64url-encoded into the URL fragment "#s=...". The
// fragment never reaches a server. Links longer than MAX_FRAGMENT_CHARS are refused
// with a message, since chat tools and browsers cut longer ones.

export const FRAGMENT_KEY = "s";
/** Longest fragment we produce, in characters (links beyond ~16 kB break in mail and chat tools). */
export const MAX_FRAGMENT_CHARS = 16_000;

export class ShareLinkError extends Error {}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError("the link is damaged: its scenario part has characters a link never contains");
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const binary = atob(base64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The fragment ("s=...") for a scenario document; throws ShareLinkError when it is too large. */
export async function encodeScenarioFragment(doc: unknown): Promise<string> {
  const compressed = await pipe(new TextEncoder().encode(JSON.stringify(doc)), new CompressionStream("deflate-raw"));
  const fragment = `${FRAGMENT_KEY}=${toBase64Url(compressed)}`;
  if (fragment.length > MAX_FRAGMENT_CHARS) {
    throw new ShareLinkError(
      `this scenario is too large for a link: ${fragment.length.toLocaleString("en")} characters compressed, ` +
        `the limit is ${MAX_FRAGMENT_CHARS.toLocaleString("en")}; save it as a file and share the file instead`,
    );
  }
  return fragment;
}

/** The scenario text in a URL fragment ("#s=..."), or null when the fragment carries none. */
export async function decodeScenarioFragment(hash: string): Promise<string | null> {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const payload = params.get(FRAGMENT_KEY);
  if (payload === null || payload === "") return null;
  try {
    const bytes = await pipe(fromBase64Url(payload), new DecompressionStream("deflate-raw"));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError("the link is damaged or cut short: its scenario could not be decompressed");
  }
}

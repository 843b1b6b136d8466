// Entry of the browser app: configures the libraries for a strict
// Content-Security-Policy, then defines the elements and lets <bt-app> start.
import { config } from "zod";

// zod 4 would probe `new Function` to speed parsing up; the CSP forbids it (and would log it).
config({ jitless: true });

await import("./elements/bt-app");

// Lets TypeScript (engine/, tests) import the core files written in the subset both
// compilers accept (assembly/layout.ts, assembly/vessel.ts): AssemblyScript's number types.
type f64 = number;
type i32 = number;

// The scenarios that ship with biotwin (scenarios/*.json), bundled into the app so
// it works offline, with what the gallery shows of each.
const files = import.meta.glob<{ default: unknown }>("../../scenarios/*.json", { eager: true });

export interface BuiltinScenario {
  /** File name without .json ("cho-fed-batch"). */
  id: string;
  title: string;
  /** The description's first sentence. */
  summary: string;
  /** The first source's citation, shortened. */
  source: string;
  model: string;
  doc: unknown;
}

export const DEFAULT_SCENARIO_ID = "cho-fed-batch";

function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/.exec(text);
  return match ? match[1] : text;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

export const BUILTIN_SCENARIOS: BuiltinScenario[] = Object.entries(files)
  .map(([path, module]) => {
    const doc = module.default as {
      metadata?: { title?: string; description?: string; sources?: { citation?: string }[] };
      cells?: { model?: string };
    };
    const id = path.replace(/^.*\//, "").replace(/\.json$/, "");
    return {
      id,
      title: doc.metadata?.title ?? id,
      summary: firstSentence(doc.metadata?.description ?? ""),
      source: shorten(doc.metadata?.sources?.[0]?.citation ?? "", 140),
      model: doc.cells?.model ?? "",
      doc,
    };
  })
  // CHO first (the default), then microbial; alphabetical within each.
  .sort((a, b) => (a.model === b.model ? a.id.localeCompare(b.id) : a.model === "cho" ? -1 : 1));

export function builtinScenario(id: string): BuiltinScenario | undefined {
  return BUILTIN_SCENARIOS.find((s) => s.id === id);
}

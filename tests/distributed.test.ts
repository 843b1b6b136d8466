// The recipes of docs/distributed.md, run here as far as a machine without Kubernetes or
// Slurm allows: the Slurm scripts run under bash with the variables Slurm would set, one
// array task after the other, then the merge script; the Kubernetes manifests are parsed,
// checked (an Indexed Job whose completions match its --shard n, on the volume the merge
// job reads) and their container commands run with JOB_COMPLETION_INDEX = 0 .. n - 1 and
// the volumes mapped to folders. Either way the merged file must be byte for byte the
// study run on one machine.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "cli/biotwin.mjs");
const example = "deploy/example/scenario.json";
const tmp = mkdtempSync(join(tmpdir(), "biotwin-distributed-"));
/** A folder with `biotwin` in it, for scripts that find the command line on PATH. */
const shims = join(tmp, "bin");
mkdirSync(shims);
symlinkSync(bin, join(shims, "biotwin"));
const pathWithBiotwin = `${shims}:${process.env.PATH}`;

/** Runs a command to its end; resolves with its exit code and output. */
function run(command: string, args: string[], options: { cwd: string; env: Record<string, string | undefined> }) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(command, args, { ...options, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The example study on one machine: what every distributed run must reproduce. */
let whole: string;
beforeAll(() => {
  const r = spawnSync(process.execPath, [bin, "study", example], { cwd: root, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  whole = r.stdout;
  expect(whole.trim().split("\n")).toHaveLength(1 + 8 + 1);
});

describe("Slurm: deploy/slurm/study.sbatch as a job array, then merge.sbatch", () => {
  const script = readFileSync(join(root, "deploy/slurm/study.sbatch"), "utf8");
  const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(script);
  const cpus = /^#SBATCH --cpus-per-task=(\d+)$/m.exec(script);
  const slurm = (task: number, count: number, env: Record<string, string | undefined>) =>
    run("bash", [join(root, "deploy/slurm/study.sbatch")], {
      cwd: root,
      env: {
        SLURM_ARRAY_TASK_ID: String(task),
        SLURM_ARRAY_TASK_COUNT: String(count),
        SLURM_ARRAY_TASK_MIN: "0",
        SLURM_ARRAY_TASK_MAX: String(count - 1),
        SLURM_CPUS_PER_TASK: cpus![1],
        ...env,
      },
    });

  test("the array is 0-based; each task writes its part; merge.sbatch writes the one-machine bytes", async () => {
    expect(array?.[1]).toBe("0");
    const count = Number(array![2]) + 1;
    expect(count).toBeGreaterThan(1);
    const results = join(tmp, "slurm");
    // The tasks run at once, as Slurm would start them. BIOTWIN names the command line,
    // as on a cluster without it on PATH.
    const tasks = await Promise.all(Array.from({ length: count }, (_, task) => slurm(task, count, { BIOTWIN: bin, RESULTS: results })));
    tasks.forEach((r, task) => {
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(results, `part-${task}.jsonl`), "utf8").split("\n")[0]).toContain(`"shard":"${task}/${count}"`);
    });
    const merge = await run("bash", [join(root, "deploy/slurm/merge.sbatch")], { cwd: root, env: { BIOTWIN: bin, RESULTS: results } });
    expect(merge.code, merge.stderr).toBe(0);
    expect(readFileSync(join(results, "study.jsonl"), "utf8")).toBe(whole);
  });

  test("without BIOTWIN the scripts use biotwin on PATH", async () => {
    const results = join(tmp, "slurm-path");
    const r = await slurm(1, 4, { BIOTWIN: undefined, RESULTS: results, PATH: pathWithBiotwin });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(results, "part-1.jsonl"), "utf8")).toBe(readFileSync(join(tmp, "slurm", "part-1.jsonl"), "utf8"));
  });

  test("an array that does not start at 0 is refused, and merge.sbatch with no parts says so", async () => {
    const r = await slurm(1, 4, { BIOTWIN: bin, RESULTS: join(tmp, "slurm-bad"), SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "4" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the array must be 0-3/);
    const merge = await run("bash", [join(root, "deploy/slurm/merge.sbatch")], { cwd: root, env: { BIOTWIN: bin, RESULTS: join(tmp, "nothing-here") } });
    expect(merge.code).toBe(1);
    expect(merge.stderr).toMatch(/no .*part-\*\.jsonl to merge/);
  });
});

describe("Kubernetes: deploy/kubernetes/study-job.yaml as an Indexed Job, then merge-job.yaml", () => {
  const manifest = (file: string) => {
    const text = readFileSync(join(root, "deploy/kubernetes", file), "utf8");
    const docs = parseAllDocuments(text);
    for (const doc of docs) expect(doc.errors).toEqual([]);
    return { text, docs: docs.map((d) => d.toJS()) };
  };
  const study = manifest("study-job.yaml");
  const merge = manifest("merge-job.yaml");
  const job = study.docs.find((d) => d.kind === "Job");
  const claim = study.docs.find((d) => d.kind === "PersistentVolumeClaim");
  const container = job?.spec.template.spec.containers[0];
  const script: string = container?.command?.[2] ?? "";
  const mergeJob = merge.docs.find((d) => d.kind === "Job");
  const mergeScript: string = mergeJob?.spec.template.spec.containers[0].command?.[2] ?? "";

  /** Where a container mounts what: mount path -> the pod volume behind it. */
  const mounts = (jobDoc: any, c: any) =>
    Object.fromEntries(c.volumeMounts.map((m: { name: string; mountPath: string }) => [m.mountPath, jobDoc.spec.template.spec.volumes.find((v: { name: string }) => v.name === m.name)]));

  test("an Indexed Job whose completions match the n of its --shard i/n, on a volume every pod and the merge job share", () => {
    expect(job.apiVersion).toBe("batch/v1");
    expect(job.spec.completionMode).toBe("Indexed");
    expect(container.command.slice(0, 2)).toEqual(["sh", "-c"]);
    const shard = /--shard "\$JOB_COMPLETION_INDEX\/(\d+)"/.exec(script);
    expect(shard, script).not.toBeNull();
    expect(job.spec.completions).toBe(Number(shard![1]));
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(script).toMatch(/--out "\/results\/part-\$JOB_COMPLETION_INDEX\.jsonl"/);
    const volumes = mounts(job, container);
    expect(volumes["/results"].persistentVolumeClaim.claimName).toBe(claim.metadata.name);
    expect(claim.spec.accessModes).toContain("ReadWriteMany");
    expect(mounts(mergeJob, mergeJob.spec.template.spec.containers[0])["/results"].persistentVolumeClaim.claimName).toBe(claim.metadata.name);
    expect(mergeJob.spec.template.spec.containers[0].image).toBe(container.image);
  });

  test("each pod's command, run with its JOB_COMPLETION_INDEX, and the merge job's give the one-machine bytes", async () => {
    // The input volume is the config map that the file's instructions create.
    const configMap = mounts(job, container)["/input"].configMap.name;
    const create = new RegExp(`kubectl create configmap ${configMap} --from-file=([\\w.-]+)=(\\S+)`).exec(study.text);
    expect(create, "the manifest says how to make its config map").not.toBeNull();
    const input = join(tmp, "k8s-input");
    const results = join(tmp, "k8s-results");
    mkdirSync(input);
    mkdirSync(results);
    copyFileSync(join(root, create![2]), join(input, create![1]));
    const remap = (s: string) => s.replaceAll("/input/", `${input}/`).replaceAll("/results/", `${results}/`);
    const pods = await Promise.all(
      Array.from({ length: job.spec.completions }, (_, index) => run("sh", ["-c", remap(script)], { cwd: tmp, env: { JOB_COMPLETION_INDEX: String(index), PATH: pathWithBiotwin } })),
    );
    for (const r of pods) expect(r.code, r.stderr).toBe(0);
    const merged = await run("sh", ["-c", remap(mergeScript)], { cwd: tmp, env: { PATH: pathWithBiotwin } });
    expect(merged.code, merged.stderr).toBe(0);
    expect(readFileSync(join(results, "study.jsonl"), "utf8")).toBe(whole);
  });
});

test("the Dockerfile builds on node:20-bookworm-slim with npm ci and npm run build, and its entrypoint is the command line", () => {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
  expect(dockerfile).toMatch(/^RUN npm ci\b/m);
  expect(dockerfile).toMatch(/^RUN npm run build\b/m);
  expect(dockerfile).toMatch(/ln -s \/opt\/biotwin\/cli\/biotwin\.mjs \/usr\/local\/bin\/biotwin/);
  expect(dockerfile).toMatch(/^ENTRYPOINT \["biotwin"\]$/m);
  // What the image links as biotwin is the command line, and it runs.
  expect(spawnSync(process.execPath, [bin, "--version"], { encoding: "utf8" }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
});

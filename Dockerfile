# The biotwin command line in a container, for running studies on a cluster
# (docs/distributed.md): Kubernetes Indexed Jobs, or Slurm through Apptainer/Singularity.
#   docker build -t biotwin:0.1.0 .
#   docker run --rm -v "$PWD:/work" -w /work biotwin:0.1.0 study scenario.json --workers 4
FROM node:20-bookworm-slim

WORKDIR /opt/biotwin
# Dependencies first, so a change to the sources does not reinstall them.
COPY package.json package-lock.json ./
# --ignore-scripts: the prepare script (npm run build) needs the sources, copied below.
RUN npm ci --ignore-scripts
COPY . .
# The core (AssemblyScript -> wasm), the command line bundle and the web app; then
# only the runtime dependencies stay (the CLI bundle imports zod and @noble/hashes).
RUN npm run build && npm prune --omit=dev --ignore-scripts \
    && ln -s /opt/biotwin/cli/biotwin.mjs /usr/local/bin/biotwin \
    && mkdir /work && chown node:node /work

# Files and results live in the working directory or on mounted volumes.
WORKDIR /work
USER node
ENTRYPOINT ["biotwin"]
CMD ["--help"]

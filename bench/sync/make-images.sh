#!/usr/bin/env bash
# Makes the sync fixtures' four images (v1, v2, imgP, imgC) and half (v2 less every second file) as one OCI layout, with independent tools only:
# ../shared/fixtures/sync/make-rootfs.sh (dpkg-deb, GNU tar) builds the layer tars, umoci makes each a
# one-layer gzip image. Usage: make-images.sh OUTDIR  (OUTDIR/rootfs: the tars, OUTDIR/oci: the layout)
set -euo pipefail
out=${1:?usage: make-images.sh OUTDIR}
fx=${SYNC_FIXTURES:-$(cd "$(dirname "$0")/../../.." && pwd)/shared/fixtures/sync}
mkdir -p "$out" && out=$(cd "$out" && pwd)
[ -f "$out/rootfs/imgC.tar" ] || bash "$fx/make-rootfs.sh" "$out/rootfs" >/dev/null
# half: v2 with every second regular file (by name) removed, for "half the files present"
if [ ! -f "$out/rootfs/half.tar" ]; then
  rm -rf "$out/rootfs/half" && cp -a "$out/rootfs/v2" "$out/rootfs/half"
  (cd "$out/rootfs/half" && find . -type f | LC_ALL=C sort | awk 'NR % 2 == 0' | xargs -d '\n' rm -f)
  tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$out/rootfs/half" -cf "$out/rootfs/half.tar" .
fi
if [ ! -f "$out/oci/.done" ]; then
  rm -rf "$out/oci"
  umoci init --layout "$out/oci"
  for t in v1 v2 imgP imgC half; do
    umoci new --image "$out/oci:$t"
    SOURCE_DATE_EPOCH=0 umoci raw add-layer --image "$out/oci:$t" --history.created 1970-01-01T00:00:00Z "$out/rootfs/$t.tar"
    umoci config --image "$out/oci:$t" --created 1970-01-01T00:00:00Z --config.cmd /bin/sh
  done
  umoci gc --layout "$out/oci"
  touch "$out/oci/.done"
fi
echo "$out/oci"

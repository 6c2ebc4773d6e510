#!/usr/bin/env bash
# Regenerates store/ and labels.csv here (run from the project root after a build; ~2 minutes on 2 cores):
# 300 synthetic pattern images from bin/demo's generator (circles, squares, stripes; 100 each; seed 12; the
# triangles dropped), through the real feature job at 75 px with seeded random weights, relabelled by CSV into two
# unbalanced classes: circles -> dots (100), squares and stripes -> lines (200).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tmp="$(mktemp -d)"
java -cp pipeline-features/target/pipeline-features-*-job.jar dev.tltf.features.demo.SyntheticImages "$tmp/images" 100 12
rm -rf "$tmp/images/triangles"
rm -rf "$here/store"
bin/extract-features --master 'local[2]' --images "$tmp/images" --out "$here/store" --random-weights 7 --image-size 75
find "$here/store" \( -name '*.crc' -o -name _SUCCESS \) -delete
(echo "path,label"; cd "$tmp/images" && for f in */*; do
  case $f in circles/*) echo "$f,dots" ;; *) echo "$f,lines" ;; esac
done) > "$here/labels.csv"
rm -rf "$tmp"

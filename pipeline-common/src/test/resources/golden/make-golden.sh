#!/usr/bin/env bash
# Writes a NEW golden set golden/<VERSION>/ beside this script with the code of the working tree, through the same
# command classes bin/ submits (run as plain Java, local[2]); run from the project root (a few minutes on 2 cores):
#
#   pipeline-common/src/test/resources/golden/make-golden.sh v2
#
# An existing version is never rewritten: the old set must keep loading, so a format change adds a set beside it
# (docs/DESIGN.md, "Formats and golden files"). What it writes: 12 generated pattern images (circles, squares,
# stripes; 4 each; seed 5) and one file that is not an image, through extract-features at 75 px with seeded random
# weights (store/), train-head with folder labels (head/), predict --features as Parquet and as CSV, export-model
# --format onnx --head-only (head.onnx), then expected.json by RecordExpected.java, which reads the Parquet files
# with plain Spark, never through tltf's readers.
set -euo pipefail
version="${1:?usage: make-golden.sh VERSION (e.g. v2)}"
root="$(pwd)"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/$version"
[[ -f "$root/pom.xml" && -d "$root/pipeline-common" ]] || { echo "run from the project root" >&2; exit 2; }
[[ ! -e "$out" ]] || { echo "$out exists: golden sets are never rewritten; pick a new version" >&2; exit 2; }

# one Maven session for both goals, so that the reactor resolves pipeline-common to its target/classes
mvn -o -q -pl pipeline-features,pipeline-train -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/golden.classpath
classpath() { # a module's classes, then what it depends on (pipeline-common's classes included)
  echo "$root/$1/target/classes:$(cat "$root/$1/target/golden.classpath")"
}
# what bin/_launcher.sh sets for a local run
export TLTF_CONF_DIR="$root/conf" SPARK_LOCAL_IP=127.0.0.1 OMP_WAIT_POLICY=PASSIVE
opens="$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' "$root/pom.xml")"
# shellcheck disable=SC2086 # the opens are separate JVM options
run() { # MODULE MAIN_CLASS ARGS…: one command, as bin/ would submit it, on local[2]
  local module="$1" main="$2"
  shift 2
  java -Xmx2g -Dspark.master='local[2]' -Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2 $opens \
    -cp "$(classpath "$module")" "$main" "$@"
}

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
run pipeline-features dev.tltf.features.demo.SyntheticImages "$tmp/images" 4 5
rm -rf "$tmp/images/triangles"
printf 'these bytes are not an image\n' > "$tmp/images/circles/not-an-image.jpg"

mkdir -p "$tmp/set"
run pipeline-features dev.tltf.features.extract.ExtractFeaturesCommand \
  --images "$tmp/images" --out "$tmp/set/store" --random-weights 7 --image-size 75
run pipeline-train dev.tltf.train.TrainHeadCommand \
  --features "$tmp/set/store" --out "$tmp/set/head" --labels dirs --min-examples 2 --l2 0.01
run pipeline-train dev.tltf.train.predict.PredictFeaturesCommand \
  --head "$tmp/set/head" --features "$tmp/set/store" --out "$tmp/set/predictions.parquet" --format parquet
run pipeline-train dev.tltf.train.predict.PredictFeaturesCommand \
  --head "$tmp/set/head" --features "$tmp/set/store" --out "$tmp/set/predictions.csv" --format csv
run pipeline-features dev.tltf.features.export.ExportModelCommand \
  --head "$tmp/set/head" --out "$tmp/set/head.onnx" --format onnx --head-only
find "$tmp/set" \( -name '*.crc' -o -name _SUCCESS \) -delete

java $opens -cp "$(cat "$root/pipeline-common/target/golden.classpath")" \
  "$here/RecordExpected.java" "$tmp/set"
(cd "$tmp/set" && find . -type f ! -name files.txt | sed 's:^\./::' | sort > files.txt)
mv "$tmp/set" "$out"
echo "$version" >> "$here/versions.txt"
echo "golden set written to $out ($(du -sh "$out" | cut -f1))"

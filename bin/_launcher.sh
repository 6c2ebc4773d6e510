# Shared by the bin/ launchers (sourced, not run). Assembles one spark-submit call:
#   - SPARK_HOME set:   $SPARK_HOME/bin/spark-submit … <job jar> <job flags>   (your cluster's Spark and config)
#   - SPARK_HOME unset: Spark's own launcher from the local Spark home that the build assembles
#                       (pipeline-common/spark-home/target/spark-home), --master local[*], conf/ as SPARK_CONF_DIR.
# Options that belong to spark-submit (--master, --conf, --driver-memory, …) pass through to it; everything else
# goes to the job.

TLTF_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export TLTF_CONF_DIR="${TLTF_CONF_DIR:-$TLTF_HOME/conf}"
TLTF_LOCAL_SPARK_HOME="$TLTF_HOME/pipeline-common/spark-home/target/spark-home"

tltf_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then echo "$JAVA_HOME/bin/java"; else echo java; fi
}

# Maven for the build step, in batch mode. Outside a terminal: no colours, and no Jansi reset codes either (Maven
# 3.8's Jansi writes ESC[0m even with -B unless jansi.noreset is set), so captured logs stay plain text.
tltf_maven() {
  if [[ -t 2 ]]; then
    mvn -B "$@"
  else
    MAVEN_OPTS="${MAVEN_OPTS:-} -Djansi.noreset=true" mvn -B -Dstyle.color=never "$@"
  fi
}

# Prints the job jar of a module, building the project first if it is missing.
tltf_job_jar() {
  local module="$1" jar
  jar=$(ls "$TLTF_HOME/$module/target/$module"-*-job.jar 2>/dev/null | head -n 1)
  if [[ -z "$jar" || ! -d "$TLTF_LOCAL_SPARK_HOME/jars" ]]; then
    if ! command -v mvn >/dev/null 2>&1; then
      echo "tltf: $module is not built and Maven (mvn) is not on the PATH; install Maven 3.8+ and run: mvn -DskipTests install" >&2
      return 1
    fi
    echo "tltf: building the project first (mvn -DskipTests install; the first build downloads ~1-2 GB)..." >&2
    (cd "$TLTF_HOME" && tltf_maven -q -DskipTests install) >&2 || { echo "tltf: the build failed" >&2; return 1; }
    jar=$(ls "$TLTF_HOME/$module/target/$module"-*-job.jar 2>/dev/null | head -n 1)
  fi
  echo "$jar"
}

# tltf_submit MODULE MAIN_CLASS ARGS… : runs the job through spark-submit (see the top of this file).
tltf_submit() {
  local module="$1" main_class="$2"
  shift 2
  local spark_args=() job_args=() has_master=false
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --master|--deploy-mode|--name|--jars|--packages|--exclude-packages|--repositories|--py-files|--files|\
      --archives|--conf|-c|--properties-file|--driver-memory|--driver-java-options|--driver-library-path|\
      --driver-class-path|--executor-memory|--proxy-user|--driver-cores|--total-executor-cores|--executor-cores|\
      --num-executors|--queue|--principal|--keytab)
        [[ "$1" == --master ]] && has_master=true
        if [[ $# -lt 2 ]]; then echo "tltf: spark-submit option $1 needs a value" >&2; return 2; fi
        spark_args+=("$1" "$2"); shift 2 ;;
      --master=*|--deploy-mode=*|--name=*|--jars=*|--packages=*|--files=*|--conf=*|--properties-file=*|\
      --driver-memory=*|--driver-java-options=*|--driver-class-path=*|--executor-memory=*|--driver-cores=*|\
      --total-executor-cores=*|--executor-cores=*|--num-executors=*|--queue=*)
        [[ "$1" == --master=* ]] && has_master=true
        spark_args+=("$1"); shift ;;
      --verbose|--supervise)
        spark_args+=("$1"); shift ;;
      *)
        job_args+=("$1"); shift ;;
    esac
  done
  local jar
  jar=$(tltf_job_jar "$module") || return 1

  if [[ -n "${SPARK_HOME:-}" ]]; then
    exec "$SPARK_HOME/bin/spark-submit" "${spark_args[@]}" --class "$main_class" "$jar" "${job_args[@]}"
  fi

  $has_master || spark_args=(--master "local[*]" "${spark_args[@]}")
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  # ND4J's OpenMP threads spin at barriers; in a feature job the tasks' decoding competes for the same cores and
  # spinning loses (docs/BENCHMARKS.md: steady 7.5 -> 8.6 images/s with PASSIVE). libgomp reads it at load time only.
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
  export SPARK_HOME="$TLTF_LOCAL_SPARK_HOME" SPARK_CONF_DIR="${SPARK_CONF_DIR:-$TLTF_CONF_DIR}" SPARK_SCALA_VERSION=2.12
  # What Spark's bin/spark-class does: its launcher prints messages line by line, then a NUL line, then the final
  # java command NUL-separated; the launcher's exit status comes last.
  local cmd=() arg delim=$'\n' started=false
  while IFS= read -r -d "$delim" arg; do
    if $started; then
      cmd+=("$arg")
    elif [[ "$arg" == $'\0' || -z "$arg" && "$delim" == $'\n' ]]; then
      [[ "$arg" == $'\0' ]] && { delim=''; started=true; }
    else
      echo "$arg" >&2
    fi
  done < <(
    "$(tltf_java)" -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main \
      org.apache.spark.deploy.SparkSubmit "${spark_args[@]}" --class "$main_class" "$jar" "${job_args[@]}"
    printf '%d\0' $?)
  local status=${cmd[${#cmd[@]}-1]}
  if [[ "$status" != 0 ]]; then
    echo "tltf: Spark's launcher failed (exit $status)" >&2
    return "$status"
  fi
  unset 'cmd[${#cmd[@]}-1]'
  exec "${cmd[@]}"
}

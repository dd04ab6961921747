#!/usr/bin/env bash
# Builds and runs the JMH benchmarks, then the live AWS collection harness; pass --quick for a short run.
# Prints a summary with peer ratios. A second argument (or a lone non---quick one) filters the JMH benchmarks;
# the filter LiveCollection runs only the live harness, any other filter only JMH.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl bench -am package
quick=()
[ "${1:-}" = "--quick" ] && quick=(--quick)
filter="${2:-}"
if [ $# -eq 1 ] && [ "$1" != "--quick" ]; then filter="$1"; fi
if [ "$filter" != "LiveCollection" ]; then
  java -jar bench/target/benchmarks.jar "$@"
fi
if [ -z "$filter" ] || [ "$filter" = "LiveCollection" ]; then
  # live collection through the loopback fake AWS (seconds per collection: a plain main, not JMH); heap pinned
  java -Xms2g -Xmx2g -XX:+AlwaysPreTouch -cp bench/target/benchmarks.jar dev.warden.bench.LiveCollectionHarness "${quick[@]}"
fi

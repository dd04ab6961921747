#!/usr/bin/env bash
# Builds and runs the JMH benchmarks; pass --quick for a short run. Prints a summary with peer ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests -pl bench -am package
exec java -jar bench/target/benchmarks.jar "$@"

#!/usr/bin/env bash
# Benchmarks: builds the service, starts PostgreSQL (embedded, or QUARKUS_DATASOURCE_JDBC_URL) and
# prints a table of figures, each beside a baseline measured in the same run, as a ratio.
#   bench/run.sh          about 5 minutes on 2 cores
#   bench/run.sh --quick  smaller N, shorter runs, about 2 minutes
# Results: target/bench/results.json and target/bench/results.md
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench/classpath.txt
exec java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" io.checkpointd.bench.Benchmark "$@"

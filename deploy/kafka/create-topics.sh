#!/usr/bin/env bash
# Creates the suite's topics (see contracts/asyncapi.yaml) and their dead-letter topics.
set -euo pipefail
topics=(asysta.intake.applications asysta.eligibility.editions asysta.eligibility.decisions
        asysta.ordering.providers asysta.ordering.orders asysta.timesheet.submissions
        asysta.timesheet.results asysta.timesheet.periods)
for t in "${topics[@]}"; do
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$t" --partitions "$PARTITIONS" --replication-factor 1
  /opt/kafka/bin/kafka-topics.sh --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$t.dlq" --partitions 1 --replication-factor 1
done

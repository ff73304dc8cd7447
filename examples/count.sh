#!/usr/bin/env bash
# Counts from 1 to TO, a step every DELAY seconds: an example of a script run as a Jobline job
# type (see commands.json next to it). It speaks Jobline's line protocol on standard output:
# "progress DONE/TOTAL message" moves the job's progress bar, "result JSON" is the job's result,
# and every other line, on standard output or standard error, is a line of the job's log.
# Usage: count.sh TO DELAY [FAIL_AT]   (FAIL_AT: fail at that step, with exit code 3)
set -euo pipefail
to=$1
delay=$2
fail_at=${3:-0}

echo "counting to $to, a step every ${delay}s"
for ((i = 1; i <= to; i++)); do
  sleep "$delay"
  if ((i == fail_at)); then
    echo "cannot count past $((i - 1)): asked to fail at $fail_at" >&2
    exit 3
  fi
  echo "progress $i/$to counted $i"
  if ((i % 5 == 0)); then
    echo "note: $i is a multiple of five" >&2
  fi
done
echo "result {\"counted\": $to}"

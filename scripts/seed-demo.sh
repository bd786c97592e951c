#!/usr/bin/env bash
# Seeds the demo workflow (demo/deal-alert-pipeline.json) into a running Ratify and prints a ready
# curl line that starts a run. Usage: scripts/seed-demo.sh URL ADMIN_KEY
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
url=${1:?usage: seed-demo.sh URL ADMIN_KEY}
key=${2:?usage: seed-demo.sh URL ADMIN_KEY}
definition=demo/deal-alert-pipeline.json

# PUT adds a new version when the workflow exists already (a restart with kept data).
status=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$url/v1/workflows" \
    -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "@$definition")
if [[ $status == 409 ]]; then
    status=$(curl -sS -o /dev/null -w '%{http_code}' -X PUT "$url/v1/workflows/deal-alert-pipeline" \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' --data-binary "@$definition")
fi
if [[ $status != 20? ]]; then
    echo "error: seeding the demo workflow answered HTTP $status" >&2
    exit 1
fi

cat <<INFO
Demo workflow 'deal-alert-pipeline' is ready (fetch -> score + enrich in parallel -> settle -> draft with a markdown artifact).
Start a run:
  curl -sS -X POST $url/v1/runs -H 'Authorization: Bearer $key' -H 'Content-Type: application/json' -d '{"workflowId": "deal-alert-pipeline", "input": {"dealId": "d_8k2x", "amount": 42000}}'
Then read it (with the runId from the answer):
  curl -sS $url/v1/runs/RUN_ID -H 'Authorization: Bearer $key'
INFO

#!/usr/bin/env bash
# Seeds the demo workflow (demo/deal-alert-pipeline.json) into a running Ratify, creates an approver
# key (the key that starts a run may not approve it), and prints ready curl lines that start a run and
# approve its gate. Usage: scripts/seed-demo.sh URL ADMIN_KEY
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

# An approver key for the demo: an agent that may read runs and resolve approvals, and nothing else.
created=$(curl -sS -X POST "$url/v1/keys" -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
    -d '{"name": "demo approver", "scopes": ["runs:read", "approvals:resolve"]}')
approver=$(printf '%s' "$created" | sed -n 's/.*"secret" *: *"\([^"]*\)".*/\1/p')
if [[ -z $approver ]]; then
    echo "error: creating the demo approver key failed: $created" >&2
    exit 1
fi

cat <<INFO
Demo workflow 'deal-alert-pipeline' is ready (fetch -> score + enrich in parallel -> settle -> draft with a markdown
artifact -> review, an approval gate -> send).
Start a run:
  curl -sS -X POST $url/v1/runs -H 'Authorization: Bearer $key' -H 'Content-Type: application/json' -d '{"workflowId": "deal-alert-pipeline", "input": {"dealId": "d_8k2x", "amount": 42000}}'
Read it (with the runId from the answer); after a second it is waiting_approval at step 'review':
  curl -sS $url/v1/runs/RUN_ID -H 'Authorization: Bearer $key'
Approve it as the demo approver (its key: $approver):
  curl -sS "$url/v1/approvals?status=pending" -H 'Authorization: Bearer $approver'
  curl -sS -X POST $url/v1/approvals/APPROVAL_ID/resolve -H 'Authorization: Bearer $approver' -H 'Content-Type: application/json' -d '{"decision": "approved", "note": "Send it"}'
The run then completes; its step 'send' records who approved it and the note.
INFO

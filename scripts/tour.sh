#!/usr/bin/env bash
# The README's tour as one script, against a running Roster (see the README's run command):
# log in, invite three users (one of them bad), follow the job, read its row errors, list the users.
#   ROSTER_ADMIN_PASSWORD=... scripts/tour.sh
# Needs curl and jq. Exercised by launcher/src/test/java/io/roster/launcher/ReadmeTourIT.java.
set -euo pipefail
API=${ROSTER_API:-http://localhost:8080}
EMAIL=${ROSTER_ADMIN_EMAIL:-admin@roster.local}
PASSWORD=${ROSTER_ADMIN_PASSWORD:?set ROSTER_ADMIN_PASSWORD to the admin password the run printed}

# 1. Log in: a bearer token, and the admin's organization.
LOGIN=$(curl -sf -X POST "$API/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
TOKEN=$(jq -r .token <<<"$LOGIN")
ORG=$(jq -r .user.orgId <<<"$LOGIN")
echo "logged in to organization $ORG"

# 2. Invite: 202 Accepted, the job in the body and in Location.
JOB=$(curl -sf -X POST "$API/api/v1/orgs/$ORG/jobs/invite" \
  -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"users":[
        {"email":"ada@example.com","firstName":"Ada","lastName":"Lovelace","role":"Admin","location":"London"},
        {"email":"alan@example.com","firstName":"Alan","lastName":"Turing","role":"Staff","tags":["research"]},
        {"email":"not-an-email","firstName":"Nobody"}]}' | jq -r .id)
echo "job $JOB accepted"

# 3. Follow the job until it is finished.
for _ in $(seq 1 100); do
  STATUS=$(curl -sf "$API/api/v1/jobs/$JOB" -H "Authorization: Bearer $TOKEN")
  STATE=$(jq -r .state <<<"$STATUS")
  [[ "$STATE" == queued || "$STATE" == running ]] || break
  sleep 0.2
done
echo "job: $(jq -c '{state, total, processed, succeeded, failed}' <<<"$STATUS")"

# 4. The bad rows, each with its row number, field and reason.
echo "errors: $(curl -sf "$API/api/v1/jobs/$JOB/errors" -H "Authorization: Bearer $TOKEN" | jq -c .items)"

# 5. The users list.
curl -sf "$API/api/v1/orgs/$ORG/users?limit=50" -H "Authorization: Bearer $TOKEN" \
  | jq -r '.items[] | [.email, .name, .role, .status] | @tsv'

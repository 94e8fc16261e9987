#!/usr/bin/env bash
# Writes the secrets of the secured compose profile (docker-compose.secured.yml) into DIR (default
# ./secrets): users.txt (admin, coordinator, worker, reducer and viewer users with random passwords) and a
# --kafka-config per role that logs in as that role's user. Refuses to overwrite an existing
# users.txt: brokers keep the users they were first formatted with.
set -euo pipefail
dir="${1:-secrets}"
if [ -e "$dir/users.txt" ]; then
  echo "secured-secrets.sh: $dir/users.txt exists; remove the folder (and the brokers' volumes) to start over" >&2
  exit 1
fi
mkdir -p "$dir"
chmod 700 "$dir"
password() { head -c 18 /dev/urandom | base64 | tr '+/' '._'; }
umask 077
{
  echo "# role       name         password"
  echo "admin        admin        $(password)"
  for role in coordinator worker reducer viewer; do
    p="$(password)"
    echo "$role $role $p"
    cat > "$dir/$role.properties" <<PROPS
security.protocol=SASL_PLAINTEXT
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$role" password="$p";
PROPS
  done
} > "$dir/users.txt"
# The containers read the files through bind mounts of the files themselves, as uid 1000 (the
# brokers) or 10001 (backstream): the files are readable, the folder only by its owner on the host.
chmod 644 "$dir"/*
echo "wrote $dir/users.txt and $dir/{coordinator,worker,reducer,viewer}.properties"

#!/usr/bin/env bash
# Starts the local PostgreSQL, Redis and RabbitMQ if they are not answering,
# and installs the Debian packages the tests drive (Chromium, poppler, fonts).
set -uo pipefail
up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! up 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi
if ! up 6379; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/egov-redis.log || true
fi
if ! up 5672; then
  rabbitmq-server -detached || true
fi
need=()
command -v chromium >/dev/null || need+=(chromium)
[ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || need+=(fonts-liberation2)
command -v pdfsig >/dev/null || need+=(poppler-utils)
command -v softhsm2-util >/dev/null || need+=(softhsm2)
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  (DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" \
   || (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}")) >/dev/null
fi
for i in $(seq 1 30); do up 5432 && up 6379 && up 5672 && exit 0; sleep 1; done
echo "services: PostgreSQL, Redis or RabbitMQ did not come up" >&2
exit 1

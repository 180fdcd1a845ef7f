#!/usr/bin/env bash
# Installs the Debian packages the tests drive and starts the local PostgreSQL, Redis and
# RabbitMQ if they are not answering. A failure is reported and stops the run: a test suite that
# silently lacks a tool would skip what it cannot run and look green.
#
# Packages (each brings tools the tests call):
#   chromium            headless browser for the end-to-end tests (driven by Playwright)
#   poppler-utils       pdfsig, pdftotext, pdftoppm: independent checks of generated PDFs
#   libnss3-tools       certutil: the NSS database pdfsig trusts the test PKI through
#   softhsm2            a PKCS#11 token holding the test signing keys
#   fonts-liberation2   Liberation fonts (metric-compatible with Times New Roman) for documents
#   nodejs              the local OpenID Connect provider used by the login tests
#   tesseract-ocr, tesseract-ocr-vie  OCR of scanned incoming documents (Vietnamese data)
#   postgresql-client   pg_dump, pg_restore: egov backup / egov restore (tests/test_backup.py)
set -uo pipefail

# tool (or file) -> the Debian package that brings it
REQUIRED=(
  chromium:chromium
  pdfsig:poppler-utils
  certutil:libnss3-tools
  softhsm2-util:softhsm2
  /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf:fonts-liberation2
  node:nodejs
  tesseract:tesseract-ocr
  /usr/share/tesseract-ocr/5/tessdata/vie.traineddata:tesseract-ocr-vie
  dot:graphviz
  pg_dump:postgresql-client
  pg_restore:postgresql-client
)
present() { if [[ $1 == /* ]]; then [ -e "$1" ]; else command -v "$1" >/dev/null; fi; }
need=()
for pair in "${REQUIRED[@]}"; do
  present "${pair%%:*}" || need+=("${pair##*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "services: missing Debian packages: ${need[*]} (and no apt-get to install them)" >&2
    exit 1
  fi
  echo "services: installing ${need[*]}"
  log=$(mktemp)
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >"$log" 2>&1; then
    echo "services: first install attempt failed; refreshing the package lists" >&2
    if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"; } >"$log" 2>&1; then
      echo "services: could not install ${need[*]}:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
  fi
  rm -f "$log"
fi
for pair in "${REQUIRED[@]}"; do
  present "${pair%%:*}" || { echo "services: ${pair%%:*} is still missing after installing ${pair##*:}" >&2; exit 1; }
done

up() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if ! up 5432; then
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start \
    || echo "services: PostgreSQL did not start" >&2
fi
if ! up 6379; then
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/egov-redis.log || echo "services: Redis did not start" >&2
fi
if ! up 5672; then
  echo "services: starting RabbitMQ"
  rabbitmq-server -detached || echo "services: RabbitMQ did not start" >&2
fi
for _ in $(seq 1 60); do up 5432 && up 6379 && up 5672 && exit 0; sleep 1; done
echo "services: PostgreSQL, Redis or RabbitMQ did not come up" >&2
exit 1

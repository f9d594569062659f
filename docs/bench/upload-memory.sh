#!/bin/bash
# The peak memory of a laborbrand process around a 200 MB upload and its
# download (docs/PERFORMANCE.md, "A 200 MB upload").
#   docs/bench/upload-memory.sh BINARY LABEL PORT
# BINARY is a built `laborbrand`; LABEL names the run; PORT (and PORT+1, for
# Temporal) must be free. MEMLIMIT and GOGCV set the process's GOMEMLIMIT and
# GOGC (a 512 MiB pod's: MEMLIMIT=460MiB GOGCV=200).
set -e
BIN=$1; LABEL=$2; P=$3
HERE=$(cd "$(dirname "$0")" && pwd)
D=/tmp/mm-$LABEL; rm -rf $D
VIDEO=/tmp/mm-video.mp4
if [ ! -f $VIDEO ]; then # an MP4 header and random bytes, under the 200 MB of a video
  { printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom'; head -c 199998952 /dev/urandom; } > $VIDEO
fi
env ${MEMLIMIT:+GOMEMLIMIT=$MEMLIMIT} GOGC=${GOGCV:-100} $BIN dev --data-dir $D --http-addr 127.0.0.1:$P \
  --temporal-port $((P+1)) --ui-port 0 > /tmp/mm-$LABEL.log 2>&1 &
LB=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:$P/readyz >/dev/null && break; sleep 1; done
peak() { echo "$LABEL $1: $(grep -E 'VmHWM|VmRSS' /proc/$LB/status | tr -s ' \t' ' ' | tr '\n' ' ')"; }
CITY=$($BIN token --role city_officer --data-dir $D)
HOLD=$($BIN token --role applicant --uscc 51530181MJ0000001U --data-dir $D)
today=$(TZ=Asia/Shanghai date +%F)
curl -s -X POST -H "Authorization: Bearer $CITY" -H 'Content-Type: application/json' http://127.0.0.1:$P/api/v1/rounds \
  -d "{\"name\":\"测量\",\"opens_on\":\"$today\",\"closes_on\":\"$today\"}" > /dev/null
APP=$(curl -s -X POST -H "Authorization: Bearer $HOLD" -H 'Content-Type: application/json' \
  http://127.0.0.1:$P/api/v1/applications -d @"$HERE/upload-memory-form.json" | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
sleep 2
peak before
for k in 1 2; do
  curl -s -o /tmp/mm-up.json -w "upload $k: %{http_code} %{time_total}s\n" -X POST -H "Authorization: Bearer $HOLD" \
    -H "Idempotency-Key: video-$k" -F kind=video -F "file=@$VIDEO;filename=宣传片.mp4" \
    http://127.0.0.1:$P/api/v1/applications/$APP/attachments
  peak "after upload $k"
done
AID=$(python3 -c 'import json;print(json.load(open("/tmp/mm-up.json"))["id"])')
curl -s -o /tmp/mm-down.bin -w "download: %{http_code} %{size_download} bytes\n" -H "Authorization: Bearer $CITY" \
  http://127.0.0.1:$P/api/v1/applications/$APP/attachments/$AID
cmp /tmp/mm-down.bin $VIDEO && echo "download identical"
peak "after the download"
kill -INT $LB; sleep 8; rm -rf $D /tmp/mm-down.bin /tmp/mm-up.json

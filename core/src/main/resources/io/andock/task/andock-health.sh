#!/bin/sh
# andock-health: runs a container's health check, interval after interval, with no JVM behind it (Docker's
# HEALTHCHECK and --health-*). Started in the background by andock-monitor.sh (--health) next to the container,
# and stopped (TERM) by it when the container has exited.
# usage: andock-health.sh DIR BASE MONITOR_PID
#   DIR/health/config  "INTERVAL_MS TIMEOUT_MS START_PERIOD_MS RETRIES TIMEOUT_TEXT" (the last for the timeout
#                      message, as Go prints a duration), written by andock before the start
#   DIR/health/probe   a sh script running the check in the container (the driver's exec), written by andock
#                      once the container runs; no probe is run before it exists
#   DIR/health/state   "STATUS FAILING_STREAK": starting, healthy or unhealthy (Docker's rules: a failure within
#                      the start period does not count while the status is starting; RETRIES failures in a row
#                      make it unhealthy; a success makes it healthy and the streak 0)
#   DIR/health/r.N     the N-th result: "START END EXIT_CODE\n" then the check's output (4 KiB at most); times in
#                      1/100 s since the epoch; EXIT_CODE -1: it ran past the timeout and was killed. The newest
#                      five are kept.
#   BASE               the wall clock minus /proc/uptime in 1/100 s, as andock-log.sh's ("-": use date)
#   MONITOR_PID        the monitor: once it is gone (kill -9), so is this loop
d=$1 base=$2 mp=$3 h=$1/health
read iv to sp rt tt <"$h/config" || exit 1
now() {
  if [ "$base" != - ] && read u _ </proc/uptime 2>/dev/null; then echo $((base + ${u%.*}${u#*.})); else echo $(($(date +%s) * 100)); fi
}
secs() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
# the sleeping child and a running check end with the loop
s= p=
trap 'kill $s $p 2>/dev/null; exit 0' TERM INT HUP
t0=$(now) status=starting streak=0 n=0
printf '%s %s\n' $status $streak >"$h/state"
while :; do
  sleep "$(secs $iv)" & s=$!
  wait $s
  s=
  [ -d "/proc/$mp" ] || exit 0
  [ -f "$h/probe" ] || continue
  n=$((n + 1)) start=$(now)
  sh "$h/probe" </dev/null >"$h/out" 2>&1 & p=$!
  i=0 limit=$((to / 50)) timed=
  while kill -0 $p 2>/dev/null; do
    if [ $i -ge $limit ]; then kill -9 $p 2>/dev/null; timed=1; break; fi
    sleep 0.05; i=$((i + 1))
  done
  wait $p; c=$?
  p=
  end=$(now)
  if [ -n "$timed" ]; then
    c=-1
    printf 'Health check exceeded timeout (%s)' "$tt" >"$h/out"
  fi
  if [ $c -eq 0 ]; then
    status=healthy streak=0
  elif [ $status != starting ] || [ $(((end - t0) * 10)) -ge $sp ]; then
    streak=$((streak + 1))
    [ $streak -ge $rt ] && status=unhealthy
  fi
  { printf '%s %s %s\n' "$start" "$end" "$c"; head -c 4096 "$h/out"; } >"$h/.r.$n" && mv -f "$h/.r.$n" "$h/r.$n"
  rm -f "$h/r.$((n - 5))" "$h/out"
  printf '%s %s\n' $status $streak >"$h/state"
done

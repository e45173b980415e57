#!/bin/sh
# andock-monitor: runs one container process for andock, records its pid and exit status, cleans up.
# One small shell per container instead of a JVM (andock writes this file to <root>/bin/ and starts it with
# setsid for detached containers, directly for attached ones).
# usage: andock-monitor.sh DIR [--stdin-fifo] [--clock BASE] [--log BASE] [--health] [--on-exit SCRIPT] [--umount PATH] [--remove] [--remove-path PATH]... -- ARGV...
#   --clock   the wall clock minus /proc/uptime (1/100 s): the exit time without running date (as --log's BASE)
#   BASE      stdout and stderr (the monitor's too) go as stamped records through andock-log.sh (next to this
#             file), one writer per stream, to this process's stdout (the log, opened for append); see there
#   --log-rotate MAX KEEP LOG  the records go through one sink (andock-log.sh sink) that appends them to LOG and
#             rotates it before it would pass MAX bytes, keeping KEEP files (LOG, LOG.1, ...)
#   --health  runs andock-health.sh (next to this file) beside ARGV, stopped once ARGV has exited
#   SCRIPT    run with sh once ARGV has exited, before anything else (the network's teardown)
#   DIR/pid   the container's main pid, written just before ARGV is exec'd
#   DIR/exit  "CODE EPOCH_SECONDS" once ARGV has exited (128+n when killed by signal n)
#   DIR/../.exited/ID  the same line, written with --remove before DIR goes
# Every command run here is a fork and an exec on the path of `docker run --rm`: the files are written with one
# write each (their readers retry an empty file; Java removes the last run's before starting), not renamed.
d=$1; shift
fifo=; logbase=; clock=; health=; onexit=; umnt=; remove=; paths=; rot=
while [ $# -gt 0 ]; do
  case $1 in
    --stdin-fifo) fifo=1 ;;
    --log) logbase=$2; clock=$2; shift ;;
    --clock) clock=$2; shift ;;
    --log-rotate) rot="$2 $3"; rlog=$4; shift 3 ;;
    --health) health=1 ;;
    --on-exit) onexit=$2; shift ;;
    --umount) umnt=$2; shift ;;
    --remove) remove=1 ;;
    --remove-path) paths="$paths
$2"; shift ;;
    --) shift; break ;;
  esac
  shift
done
# writer PID: sets r to Z (ended), I (asleep waiting for input) or B (busy); reads /proc only, forks nothing
writer() {
  r=Z; st=; [ -r "/proc/$1/stat" ] && read _ _ st _ <"/proc/$1/stat" 2>/dev/null
  case $st in ''|Z|X) return 0 ;; S) ;; *) r=B; return 0 ;; esac
  r=B; cm=; read cm <"/proc/$1/comm" 2>/dev/null
  [ "$cm" = sh ] && return 0
  wch=; read wch <"/proc/$1/wchan" 2>/dev/null   # (old kernels say pipe_wait for reads and writes alike)
  case $wch in *pipe_write*|*do_wait*) return 0 ;; esac
  ch=; read ch <"/proc/$1/task/$1/children" 2>/dev/null
  [ -n "$ch" ] && return 0
  r=I
}
# Handlers, not '' (which children would inherit): signals meant for the container must not stop its monitor.
trap ':' HUP INT TERM QUIT USR1 USR2 PIPE
if [ -n "$fifo" ]; then
  [ -p "$d/stdin" ] || mkfifo -m 600 "$d/stdin"
  exec 0<>"$d/stdin"   # read-write: stdin stays open (docker -i) until the container exits
fi
w1=; w2=; w3=; k=
if [ -n "$logbase" ]; then
  o="$d/.log-out" e="$d/.log-err"
  rm -f "$o" "$e"
  if mkfifo -m 600 "$o" "$e" 2>/dev/null; then
    if [ -n "$rot" ] && k="$d/.log-sink" && rm -f "$k" && mkfifo -m 600 "$k" 2>/dev/null; then
      sh "${0%/*}/andock-log.sh" sink $rot "$rlog" <"$k" >/dev/null 2>&1 & w3=$!
      sh "${0%/*}/andock-log.sh" lines 1 "$logbase" <"$o" >"$k" 2>/dev/null & w1=$!
      sh "${0%/*}/andock-log.sh" lines 2 "$logbase" <"$e" >"$k" 2>/dev/null & w2=$!
    else
      sh "${0%/*}/andock-log.sh" lines 1 "$logbase" <"$o" 2>/dev/null & w1=$!
      sh "${0%/*}/andock-log.sh" lines 2 "$logbase" <"$e" 2>/dev/null & w2=$!
    fi
    exec >"$o" 2>"$e"
    rm -f "$o" "$e"
  fi
fi
hp=
if [ -n "$health" ]; then
  sh "${0%/*}/andock-health.sh" "$d" "${clock:--}" $$ </dev/null >/dev/null 2>&1 & hp=$!
fi
# the container's pid is the subshell's own, read from /proc (a subshell's $$ is its parent's): no sh to exec first
( if read pid _ </proc/self/stat 2>/dev/null; then echo "$pid" >"$d/pid" && exec "$@"
  else exec sh -c 'echo $$ >"$1" && shift && exec "$@"' andock-init "$d/pid" "$@"; fi )
code=$?
[ -n "$hp" ] && kill $hp 2>/dev/null
if [ -n "$w1" ]; then
  # The writers end at EOF: the exit is published only once they have written what is left (readers of the log
  # take the exit for its end), however long a loaded machine makes them wait for a CPU. A writer that waits for
  # input three looks in a row is blocked on an empty pipe that is not at EOF: a process left behind by the
  # container still holds it, and the writers then go on logging it after the exit. Waiting for input is told
  # from the rest: asleep (S) in awk (a writer still a shell is starting: it waits for its `awk -W version`),
  # not in a pipe write (the sink is slow) nor in a wait for a child (the sink rotating), with no children.
  exec >/dev/null 2>&1
  i=0 idle=0
  while [ $i -lt 600 ]; do
    writer "$w1"; a=$r
    writer "$w2"; b=$r
    c=Z; [ -n "$w3" ] && writer "$w3" && c=$r
    case $a$b$c in
      ZZZ) break ;;
      [ZI][ZI][ZI]) idle=$((idle + 1)); [ $idle -ge 3 ] && break ;;
      *) idle=0 ;;
    esac
    sleep 0.05; i=$((i + 1))
  done
  [ -n "$w3" ] && rm -f "$k"
fi
now=
if [ -n "$clock" ] && [ "$clock" != - ] && read u _ </proc/uptime 2>/dev/null; then
  now=$(( (clock + ${u%.*}${u#*.}) / 100 ))
fi
[ -n "$now" ] || now=$(date +%s 2>/dev/null)
if [ -n "$onexit" ] && [ -f "$onexit" ]; then sh "$onexit" </dev/null >/dev/null 2>&1; fi
# unmount before publishing the exit: a start that follows must not see the old overlay go away under it, and a
# removed container's files must be plain files (no mount left for a delete to stumble on)
if [ -n "$umnt" ]; then
  umount "$umnt" 2>/dev/null || umount -l "$umnt" 2>/dev/null || remove=
fi
printf '%s %s\n' "$code" "$now" >"$d/exit"
if [ -n "$remove" ]; then
  # the tombstone: the exit status outlives the directory for those waiting on it (swept by andock later);
  # complete before DIR goes, which is when it is read
  g="${d%/*}/.exited"
  [ -d "$g" ] || mkdir -p "$g"
  printf '%s %s\n' "$code" "$now" >"$g/${d##*/}"
  t="${d%/*}/.trash-${d##*/}"
  # the anonymous volumes go with the container (`volume ls` right after must not list them)
  [ -n "$paths" ] && printf '%s\n' "$paths" | while IFS= read -r p; do [ -n "$p" ] && rm -rf "$p"; done
  # The rename removes the container (gone from listings, its name free); its files are deleted after this monitor
  # has exited, off the path of `run --rm` (a process, and a tree to walk). A .trash-ID holds no image once
  # unmounted (ContainerStore.imageUses); one left by a kill goes at a later sweep. Quietly: an error here would
  # reach an attached client's stderr as the container's own.
  mv "$d" "$t" 2>/dev/null && { rm -rf "$t" </dev/null >/dev/null 2>&1 & }
fi
exit "$code"

#!/bin/sh
# andock-log: the container log's writer, one small process per stream (see io.andock.task.LogFile).
# usage: andock-log.sh lines STREAM BASE     stdin's lines, one record each (a partial line waits for its newline)
#        andock-log.sh chunks STREAM BASE TMP each read of stdin as it comes, one record (a TTY: prompts too)
# Records go to stdout (the log, opened for append): "SECONDS.FRACTION <STREAM><F|P> LEN\n" LEN bytes "\n";
# F: the payload is a line whose newline was left out; P: the bytes as they are (a part of a line, or a chunk).
# BASE: the wall clock minus /proc/uptime, in 1/100 s (taken by andock at start); each stamp is BASE plus
# /proc/uptime at the time the line came (1/100 s; CLOCK_BOOTTIME, so suspend counts). Where /proc/uptime
# cannot be read, or BASE is "-", stamps are whole seconds of the wall clock.
mode=$1 s=$2 base=$3
if [ "$mode" = lines ] && command -v awk >/dev/null 2>&1; then
  # /proc/uptime is read for every line (~2 us: open, read, close); within 1/100 s lines share a stamp.
  # Each record is one write (the other stream's writer appends to the same file), at most ~4 KB: longer lines
  # go out in parts. mawk fills its whole input buffer before it starts (a line would wait for 4 KB more or
  # EOF) unless -W interactive, which reads what is there and writes unbuffered: hence one printf per record.
  # Limits: a last line without newline is recorded as a line (awk cannot tell); mawk -W interactive drops
  # what follows a NUL byte in a line, busybox awk takes NUL for a newline (attached runs keep every byte).
  i=; case $(awk -W version 2>&1 </dev/null) in *mawk*) i="-W interactive" ;; esac
  LC_ALL=C exec awk $i -v s="$s" -v base="$base" '
    BEGIN { f = "/proc/uptime" }
    function stamp(   u, line, t) {
      if (base != "-" && (getline line < f) > 0) {
        close(f)
        split(line, u, " "); sub(/\./, "", u[1]); t = base + u[1]
      } else {
        srand(); t = srand() * 100   # the seed srand() took from the clock: whole seconds
      }
      if (t != last) { last = t; st = sprintf("%.0f.%02d", int(t / 100), t % 100) }
    }
    {
      stamp()
      n = length($0); p = 1
      while (n - p + 1 > 4000) { printf "%s", sprintf("%s %dP 4000\n%s\n", st, s, substr($0, p, 4000)); fflush(); p += 4000 }
      r = substr($0, p); printf "%s", sprintf("%s %dF %d\n%s\n", st, s, length(r), r); fflush()
    }'
fi
now() {
  if [ "$base" != - ] && read u _ </proc/uptime 2>/dev/null; then
    t=$((base + ${u%.*}${u#*.})); f=$((t % 100)); [ $f -lt 10 ] && f=0$f; st=$((t / 100)).$f
  else
    st=$(date +%s).00
  fi
}
if [ "$mode" = lines ]; then
  # no awk: a shell loop (slower, and it cannot carry NUL bytes); a last line without newline is recorded as P
  while IFS= read -r l || [ -n "$l" ]; do
    k=F; [ -z "${l+x}" ] && break
    now; printf '%s %s%s %s\n%s\n' "$st" "$s" "$k" "${#l}" "$l"; l=
  done
  exit 0
fi
# chunks: dd reads once per call and says how much it copied; the chunk goes out as one record
c=$4
trap 'rm -f "$c" "$c.st"' EXIT
while dd bs=65536 count=1 of="$c" 2>"$c.st"; do
  n=; { read _ _; read _ _; read n _; } <"$c.st"
  case $n in ''|*[!0-9]*) n=$(wc -c <"$c") ;; esac
  [ "$n" -gt 0 ] 2>/dev/null || break
  now; printf '%s %sP %s\n' "$st" "$s" "$n"; cat "$c"; echo
done

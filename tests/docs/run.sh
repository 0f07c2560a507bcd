#!/usr/bin/env bash
# The documentation's examples, checked so that they cannot drift from the code.
#
# 1. Every fenced C or C++ block in docs/*.md (```c, ```cpp, ...) must come
#    from a file, said by an HTML comment on the line right before the fence,
#    and be identical to it:
#      <!-- example: examples/docs/wasi_host.c -->              the whole file, byte for byte
#      <!-- example: examples/docs/cpp_api.cpp region calls --> the lines between the file's
#                      "docs: begin calls" and "docs: end calls" lines, less their common indent
#      <!-- example: examples/embed/CMakeLists.txt lines 5-13 --> those lines, less their common indent
#    or be marked as a synopsis that is not compiled, with the reason:
#      <!-- fragment: REASON -->
#    A block of another language may carry an example marker too, and is then
#    checked the same way.
# 2. Every examples/docs/*.c and *.cpp is built the way an embedder would build
#    it: Kiln installed into a fresh prefix (tests/capi/installed.sh, as for
#    the C API tests), the compiler given
#    `pkg-config --cflags --libs kiln`, warnings as errors. Each then runs in
#    examples/docs/, and its output (stdout and stderr) must equal NAME.out.
#
# usage: tests/docs/run.sh BUILD_DIR
set -uo pipefail

build=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
examples=$root/examples/docs
work=$build/docs-test
rm -rf "$work"
mkdir -p "$work"
# The installed Kiln, pkg-config's flags for it, pass and fail.
# shellcheck source-path=SCRIPTDIR source=../capi/installed.sh
. "$root/tests/capi/installed.sh"

# Lines FIRST..LAST of stdin with their common leading white space removed.
dedent() {
  awk '{ line[NR] = $0; if ($0 ~ /[^ \t]/) { match($0, /^[ \t]*/); if (min == "" || RLENGTH < min) min = RLENGTH } }
       END { for (i = 1; i <= NR; ++i) print (line[i] ~ /[^ \t]/ ? substr(line[i], min + 1) : "") }'
}

# The lines of FILE between "docs: begin NAME" and "docs: end NAME" (each alone
# in a comment: //, /* */, ;; or #), without any region's marker lines. Fails
# unless the region is there exactly once.
region() {
  awk -v name="$2" '
    { text = $0; sub(/^[ \t]*(\/\/|\/\*|;;|#)[ \t]*/, "", text); sub(/[ \t]*(\*\/)?[ \t]*$/, "", text) }
    text == "docs: begin " name { begins++; inside = 1; next }
    text == "docs: end " name { ends++; inside = 0; next }
    text ~ /^docs: (begin|end) / { next }
    inside { print }
    END { if (begins != 1 || ends != 1) exit 1 }' "$1"
}

# What a marker says the block must be, on stdout; false if it names nothing real.
expected_text() {
  local spec=$1 path rest
  path=${spec%% *}
  rest=${spec#"$path"}
  rest=${rest# }
  [ -f "$root/$path" ] || { echo "no such file: $path" >&2; return 1; }
  if [ -z "$rest" ]; then
    cat "$root/$path"
  elif [[ $rest =~ ^region\ ([A-Za-z0-9_-]+)$ ]]; then
    local text
    text=$(region "$root/$path" "${BASH_REMATCH[1]}") ||
      { echo "$path has no single region '${BASH_REMATCH[1]}' (docs: begin/end ${BASH_REMATCH[1]})" >&2; return 1; }
    printf '%s\n' "$text" | dedent
  elif [[ $rest =~ ^lines\ ([0-9]+)-([0-9]+)$ ]]; then
    local first=${BASH_REMATCH[1]} last=${BASH_REMATCH[2]}
    if [ "$last" -gt "$(wc -l <"$root/$path")" ] || [ "$first" -gt "$last" ]; then
      echo "$path has no lines $first-$last" >&2
      return 1
    fi
    sed -n "${first},${last}p" "$root/$path" | dedent
  else
    echo "unknown marker: '$spec' (want PATH, PATH region NAME or PATH lines A-B)" >&2
    return 1
  fi
}

# ---- 1. the blocks in docs/*.md ----------------------------------------------

example_marker='^<!-- example: (.+) -->$'
fragment_marker='^<!-- fragment: .+ -->$'
c_or_cpp='^(c|cpp|c\+\+|cc|cxx|h|hpp)$'

check_block() {  # doc, line of the fence, language, marker line, file with the block
  local lang=$3 marker=$4 block=$5 where="${1#"$root"/}:$2"
  if [[ $marker =~ $example_marker ]]; then
    local spec=${BASH_REMATCH[1]}
    if ! expected_text "$spec" >"$block.expected" 2>"$block.log"; then
      fail "$where: $(cat "$block.log")"
    elif ! diff -u --label "$spec" --label "$where" "$block.expected" "$block" >"$block.log"; then
      fail "$where: the block differs from $spec (copy the file's text into the doc, or fix the file)" "$block.log"
    else
      pass
    fi
  elif [[ $marker =~ $fragment_marker ]]; then
    pass
  elif [[ $lang =~ $c_or_cpp ]]; then
    fail "$where: a \`\`\`$lang block neither from a file (<!-- example: PATH -->) nor marked <!-- fragment: WHY -->"
  fi
}

blocks=0
for doc in "$root"/docs/*.md; do
  n=0
  previous=""
  inside=0
  while IFS= read -r line || [ -n "$line" ]; do
    n=$((n + 1))
    if [ "$inside" = 1 ]; then
      if [[ $line =~ ^\`\`\`[[:space:]]*$ ]]; then
        inside=0
        check_block "$doc" "$start" "$lang" "$marker" "$block"
      else
        printf '%s\n' "$line" >>"$block"
      fi
      continue
    fi
    if [[ $line =~ ^\`\`\`([^[:space:]]*) ]]; then
      inside=1
      start=$n
      lang=${BASH_REMATCH[1]}
      marker=$previous
      blocks=$((blocks + 1))
      block=$work/block-$blocks
      : >"$block"
    fi
    previous=$line
  done <"$doc"
  [ "$inside" = 1 ] && fail "${doc#"$root"/}:$start: the block is never closed"
done

# ---- 2. the example programs, built against the installed Kiln ---------------

for source in "$examples"/*.c "$examples"/*.cpp; do
  [ -f "$source" ] || continue
  file=$(basename "$source")
  name=${file%.*}
  exe=$work/$file.exe
  log=$exe.log
  case $file in
    *.c) compile=(cc -std=c11 -Wall -Wextra -Werror -pedantic) ;;
    *) compile=(c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror) ;;
  esac
  # shellcheck disable=SC2086
  if ! "${compile[@]}" $cflags "$source" $libs -Wl,-rpath,"$libdir" -o "$exe" >"$log" 2>&1; then
    fail "examples/docs/$file: does not compile" "$log"
  elif [ ! -f "$examples/$name.out" ]; then
    fail "examples/docs/$file: no expected output examples/docs/$name.out"
  else
    check_output "examples/docs/$file" "$examples" "$exe" "$examples/$name.out" merge
  fi
done

echo "docs: $passed passed, $failed failed ($blocks code blocks in docs/*.md)"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Regenerates the speech-commands dataset that stt-service ships as its default
# (Sources/stt-service/DefaultDataset), byte-for-byte.
#
# What it is: ten command words -- yes no up down left right on off stop go -- each spoken by
# 24 synthetic speakers. A speaker is one espeak-ng accent (8 English voices) combined with one
# voice variant (24 different variants: male, female and Klatt timbres; none is used twice)
# and a speaking rate and pitch taken in turn from short lists, so no two speakers sound alike.
# Every clip is 16 kHz mono PCM 16-bit WAV, with leading and trailing silence trimmed and
# 50 ms of silence put back at each end: 240 clips, about 4 MB in all.
#
# Layout (the dataset contract the service accepts from users too):
#   DefaultDataset/<word>/<voice>-<variant>.wav     e.g. DefaultDataset/stop/en-gb-scotland-f3.wav
# The voice is everything before the last '-', so tests can hold out whole voices (accents and
# their variants) and measure recognition of speakers never seen in training.
#
# Tools: espeak-ng 1.51 and SoX 14.4.2 (apt-get install espeak-ng sox). Other versions may
# produce slightly different audio; the dataset is still valid, only not byte-identical.
#
# Usage: scripts/generate-default-dataset.sh [output-dir]   (default: Sources/stt-service/DefaultDataset)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$root/Sources/stt-service/DefaultDataset}"

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install espeak-ng sox)" >&2; exit 1; }
done

words=(yes no up down left right on off stop go)
voices=(en-gb en-us en-gb-scotland en-gb-x-gbclan en-gb-x-rp en-gb-x-gbcwmd en-029 en-us-nyc)
# Three variants per voice, in voice order; each variant appears once so a held-out voice also
# brings timbres the recognizer never heard. Variant names must not contain '-'.
variants=(m1 f1 klatt  m2 f2 klatt2  m3 f3 klatt3  m4 f4 david  m5 f5 max  m6 linda paul  m7 steph benjamin  m8 belinda grandma)
speeds=(150 170 135)   # words per minute, cycled per speaker
pitches=(50 35 65 45)  # 0-99, cycled per speaker; a different cycle length mixes the pairs

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Start clean so a removed speaker or word does not linger in the committed dataset.
rm -rf "$out"
speaker=0
for v in "${!voices[@]}"; do
  voice="${voices[$v]}"
  for k in 0 1 2; do
    variant="${variants[$((v * 3 + k))]}"
    speed="${speeds[$((speaker % ${#speeds[@]}))]}"
    pitch="${pitches[$((speaker % ${#pitches[@]}))]}"
    for word in "${words[@]}"; do
      mkdir -p "$out/$word"
      espeak-ng -v "$voice+$variant" -s "$speed" -p "$pitch" -w "$work/raw.wav" "$word"
      # -D: no dither, so the output is repeatable and silence stays digital zero.
      # gain -3: headroom, as a few loud variants clip when resampled. silence ... reverse silence
      # ... reverse: trim both ends. pad: keep a little room either side.
      sox -D "$work/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$out/$word/$voice-$variant.wav" \
        gain -3 silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse pad 0.05 0.05
    done
    speaker=$((speaker + 1))
  done
done

echo "wrote $((speaker * ${#words[@]})) clips ($speaker speakers x ${#words[@]} words) to $out" >&2

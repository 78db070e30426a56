#!/usr/bin/env bash
# Measures the speech-commands recognizer on development or test sets built on this machine
# (docs/recognizer.md, "How well"; every test run is logged in docs/recognizer-experiments.md).
#
# Usage: scripts/evaluate-recognizer.sh sets|dev|test [work-dir] [SpeechEvaluation options...]
#   sets   only synthesizes the sets
#   dev    the development sets: every decision about the recognizer is made on these
#   test   the test sets: measured, never tuned to (their voices are fixed, see below)
#   work-dir defaults to /tmp/speech-evaluation-sets; synthesized sets are kept there and reused
#   (delete <work-dir>/.complete-<part> to synthesize a part again).
#
# Training sets (training/<name>/<word>/<speaker>.wav), espeak-ng only, five accents
# (en-gb en-us en-gb-x-gbclan en-gb-x-rp en-gb-x-gbcwmd); no test or development voice is in any:
#   shipped150   the shipped DefaultDataset without its en-029, en-gb-scotland and en-us-nyc speakers
#   espeak300    30 speakers of espeak5000 (every 17th), 300 clips
#   espeak290    29 other speakers of espeak5000 (every 17th from the 9th), 290 clips
#   espeak5000   500 speakers: 25 voice variants x the five accents x 4 speeds, pitch cycled; 5000 clips
# Development sets (dev/known, dev/unknown):
#   espeak-ng accent en-us-nyc with 8 variants no training set uses; festival's Italian (lp, pc),
#   Catalan (ona HTS), Czech (dita, machac) and Finnish (lj, mv) voices saying the words respelled
#   for their language (English with a foreign accent, other synthesis engines than the test's).
# Test sets (test/known, test/unknown), fixed before the first measurement and never changed:
#   espeak-ng accents en-029 and en-gb-scotland with 12 variants no training set uses; flite's
#   awb, rms, slt, kal16, kal; festival's kal (diphone), ked (diphone), slt (HTS).
# Every known clip is spoken at a tempo of 0.80, 0.90, 1.00, 1.12 or 1.25x and shifted by -300,
# -150, 0, +150 or +300 cents (sox tempo / pitch; a Latin square: each flite and festival
# test voice says every word at all five tempos and meets every pitch ten times), then converted to a sample rate taken in turn from 8 kHz to 48 kHz, untrimmed.
# Clip names say how they were made: <engine>_<voice>_<variant>_t<tempo%>_p<cents>.wav.
# Unknown words (not commands) come from the same voices: dev dog bed nine marvin follow learn,
# test cat seven house maybe hello bird water table happy zero.
#
# Tools (Debian): apt-get install -y espeak-ng flite festival sox festvox-kallpc16k
#   festvox-kdlpc16k festvox-us-slt-hts   (test voices; ked is festvox-kdlpc16k)
#   festvox-italp16k festvox-itapc16k festvox-ca-ona-hts festvox-czech-dita festvox-czech-machac
#   festvox-suopuhe-lj festvox-suopuhe-mv   (development voices)
# A missing voice stops the script: the sets must be the same on every machine.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
kind="${1:-}"
[ "$kind" = sets ] || [ "$kind" = dev ] || [ "$kind" = test ] || { echo "usage: $0 sets|dev|test [work-dir] [SpeechEvaluation options...]" >&2; exit 2; }
work="${2:-/tmp/speech-evaluation-sets}"
shift $(($# >= 2 ? 2 : 1))
for tool in espeak-ng flite text2wave sox; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install espeak-ng flite festival sox)" >&2; exit 1; }
done
mkdir -p "$work"

words=(yes no up down left right on off stop go)
tempos=(080 090 100 112 125)
cents=(-300 -150 +0 +150 +300)
rates=(8000 11025 16000 22050 32000 44100 48000)
clip=0

# finish RAW OUT TEMPO CENTS: tempo and pitch, 3 dB of headroom, mono 16-bit at the next rate of the
# cycle (shifted by one every full cycle, so a word is not always heard at the same rate).
finish() {
  local count=${#rates[@]}
  local rate="${rates[$(((clip + clip / count) % count))]}"
  clip=$((clip + 1))
  local effects=(gain -3)
  [ "$3" = 100 ] || effects+=(tempo -s "${3:0:1}.${3:1}")
  [ "$4" = +0 ] || effects+=(pitch "$4")
  mkdir -p "$(dirname "$2")"
  sox -D "$1" -r "$rate" -c 1 -b 16 -e signed-integer "$2" "${effects[@]}"
}

# say ENGINE VOICE TEXT: writes $work/raw.wav, or fails.
say() {
  rm -f "$work/raw.wav"
  case "$1" in
    espeak) espeak-ng -v "${2%%/*}+${2##*/}" -s 160 -w "$work/raw.wav" "$3" ;;
    flite) flite -voice "$2" -t "$3" -o "$work/raw.wav" ;;
    # text2wave exits 0 and writes nothing when the voice is missing.
    festival) echo "$3" | text2wave -eval "(voice_$2)" -o "$work/raw.wav" >/dev/null 2>&1 || true ;;
  esac
  [ -s "$work/raw.wav" ] || { echo "error: $1 voice $2 wrote nothing for '$3' (is it installed?)" >&2; exit 1; }
}

# speak SET ENGINE VOICE LABEL VARIANT COMBOS TEXTS...: TEXTS[i] is spoken as the word targets[i]
# (a command or an unknown word), each in COMBOS tempo/pitch pairs of the Latin square.
speak() {
  local set=$1 engine=$2 voice=$3 label=$4 variant=$5 combos=$6
  shift 6
  local texts=("$@") i k
  for i in "${!texts[@]}"; do
    local word="${targets[$i]}"
    say "$engine" "$voice" "${texts[$i]}"
    for ((k = 0; k < combos; k++)); do
      local square=$(((offset + i + k * 2) % 5))
      local t="${tempos[$(((offset + k) % 5))]}" c="${cents[$square]}"
      finish "$work/raw.wav" "$work/$set/$word/${engine}_${label}_${variant}_t${t}_p${c}.wav" "$t" "$c"
    done
  done
  offset=$((offset + 1))
}

dev_unknown=(dog bed nine marvin follow learn)
test_unknown=(cat seven house maybe hello bird water table happy zero)
# Respellings for the development voices' languages (their letter-to-sound rules are not English).
italian=(ies nou ap daun left rait on of stop gou)
catalan=(ies nou ap daun left rait on of stop gou)
czech=(jes nou ap daun left rajt on of stop gou)
finnish=(jes nou ap daun left rait on of stop gou)
foreign_unknown=(dog bed nain marvin folou lern)

offset=0
if [ ! -e "$work/.complete-test" ]; then
  rm -rf "$work/test"
  test_variants=(adam Andy annie edward john michael norbert shelby travis victor aunty Lee)
  for i in "${!test_variants[@]}"; do
    accent=$([ $((i % 2)) -eq 0 ] && echo en-029 || echo en-gb-scotland)
    targets=("${words[@]}"); speak test/known espeak "$accent/${test_variants[$i]}" "$accent" "${test_variants[$i]}" 2 "${words[@]}"
    if [ "$i" -lt 4 ]; then targets=("${test_unknown[@]}"); speak test/unknown espeak "$accent/${test_variants[$i]}" "$accent" "${test_variants[$i]}" 1 "${test_unknown[@]}"; fi
  done
  for voice in awb rms slt kal16 kal; do
    targets=("${words[@]}"); speak test/known flite "$voice" "$voice" std 5 "${words[@]}"
    targets=("${test_unknown[@]}"); speak test/unknown flite "$voice" "$voice" std 1 "${test_unknown[@]}"
  done
  for voice in kal_diphone:kal ked_diphone:ked cmu_us_slt_arctic_hts:slt-hts; do
    targets=("${words[@]}"); speak test/known festival "${voice%%:*}" "${voice##*:}" std 5 "${words[@]}"
    targets=("${test_unknown[@]}"); speak test/unknown festival "${voice%%:*}" "${voice##*:}" std 1 "${test_unknown[@]}"
  done
  touch "$work/.complete-test"
fi

if [ ! -e "$work/.complete-dev" ]; then
  rm -rf "$work/dev"
  for variant in iven zac quincy rob robert anika Gene Mike; do
    targets=("${words[@]}"); speak dev/known espeak "en-us-nyc/$variant" en-us-nyc "$variant" 2 "${words[@]}"
  done
  for variant in iven zac quincy rob; do
    targets=("${dev_unknown[@]}"); speak dev/unknown espeak "en-us-nyc/$variant" en-us-nyc "$variant" 1 "${dev_unknown[@]}"
  done
  for voice in lp_diphone:it-lp:italian pc_diphone:it-pc:italian upc_ca_ona_hts:ca-ona-hts:catalan \
    czech_dita:cs-dita:czech czech_machac:cs-machac:czech suo_fi_lj_diphone:fi-lj:finnish hy_fi_mv_diphone:fi-mv:finnish; do
    IFS=: read -r name label language <<<"$voice"
    declare -n spelled="$language"
    targets=("${words[@]}"); speak dev/known festival "$name" "$label" std 3 "${spelled[@]}"
    targets=("${dev_unknown[@]}"); speak dev/unknown festival "$name" "$label" std 1 "${foreign_unknown[@]}"
    unset -n spelled
  done
  touch "$work/.complete-dev"
fi

if [ ! -e "$work/.complete-training" ]; then
  rm -rf "$work/training"
  # shipped150: the shipped clips of the five training accents (their names end in -<variant>).
  for file in "$root"/Sources/stt-service/DefaultDataset/*/*.wav; do
    name="$(basename "$file" .wav)"
    case "${name%-*}" in en-029 | en-gb-scotland | en-us-nyc) continue ;; esac
    mkdir -p "$work/training/shipped150/$(basename "$(dirname "$file")")"
    cp "$file" "$work/training/shipped150/$(basename "$(dirname "$file")")/"
  done
  train_accents=(en-gb en-us en-gb-x-gbclan en-gb-x-rp en-gb-x-gbcwmd)
  train_variants=(m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 klatt klatt2 klatt3 klatt4 david max linda paul steph benjamin belinda grandma Alex Alicia Andrea caleb ed)
  speaker=0
  for variant in "${train_variants[@]}"; do
    for accent in "${train_accents[@]}"; do
      for speed in 130 150 170 190; do
        [ "$speaker" -ge 500 ] && break 3
        pitch=$((25 + (speaker * 17) % 50))
        name="$accent-$variant-s$speed"
        for word in "${words[@]}"; do
          mkdir -p "$work/training/espeak5000/$word"
          espeak-ng -v "$accent+$variant" -s "$speed" -p "$pitch" -w "$work/raw.wav" "$word"
          sox -D "$work/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$work/training/espeak5000/$word/$name.wav" gain -3
          if [ $((speaker % 17)) -eq 0 ] || [ $((speaker % 17)) -eq 8 ]; then
            subset=$([ $((speaker % 17)) -eq 0 ] && echo espeak300 || echo espeak290)
            mkdir -p "$work/training/$subset/$word"
            cp "$work/training/espeak5000/$word/$name.wav" "$work/training/$subset/$word/"
          fi
        done
        speaker=$((speaker + 1))
      done
    done
  done
  touch "$work/.complete-training"
fi
rm -f "$work/raw.wav"
[ "$kind" != sets ] || exit 0

cd "$root"
nice -n 19 swift build -c release -j 1 --scratch-path .build-speech --product SpeechEvaluation >&2
nice -n 19 .build-speech/release/SpeechEvaluation --sets "$work/$kind" \
  --training "$work/training/shipped150" --training "$work/training/espeak300" \
  --training "$work/training/espeak290" --training "$work/training/espeak5000" "$@"

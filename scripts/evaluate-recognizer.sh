#!/usr/bin/env bash
# Measures the speech-commands recognizer on a cross-engine test set built on this machine.
#
# Training set of the evaluated model: the shipped DefaultDataset minus two of its eight
# espeak-ng accents (en-029, en-gb-scotland), i.e. six espeak-ng voices, 18 speakers, 180 clips.
# Test sets, synthesized here (none of their speakers is in that training set):
#   espeak/    the two held-out espeak-ng accents with 12 voice variants the shipped dataset never uses
#   flite/     flite's five voices (kal, kal16, awb, rms, slt)
#   festival/  festival's voices (kal, ked diphones; slt HTS), whichever are installed
#   unknown/   words that are not commands ("cat", "seven", ...), espeak-ng, flite and festival
# Every test clip is converted to a sample rate taken in turn from 8 kHz to 48 kHz, untrimmed.
# Scale sets: train5000/ is espeak-ng clips of the six training accents with other variants,
# speeds and pitches (no test variant), train300/ every 17th of its speakers; for training time
# and inference cost.
#
# Tools: apt-get install -y espeak-ng flite festival sox (plus festvox-kallpc16k festvox-kdlpc16k
# festvox-us-slt-hts for the three festival voices; a voice that is missing is skipped with a note). The synthesized sets are kept in the
# work directory and reused by later runs (delete .tests-complete or .scale-complete to redo them).
#
# Usage: scripts/evaluate-recognizer.sh [work-dir]   (default: /tmp/speech-evaluation)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-/tmp/speech-evaluation}"
for tool in espeak-ng flite text2wave sox; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found (apt-get install espeak-ng flite festival sox)" >&2; exit 1; }
done

words=(yes no up down left right on off stop go)
unknown_words=(cat seven house maybe hello bird water table happy zero)
rates=(8000 11025 16000 22050 32000 44100 48000)
clip=0

# convert IN OUT: mono 16-bit at the next rate of the cycle, 3 dB of headroom, silence left as is.
convert() {
  # Shifted by one every full cycle, so a word is not always heard at the same rate.
  local count=${#rates[@]}
  local rate="${rates[$(((clip + clip / count) % count))]}"
  clip=$((clip + 1))
  sox -D "$1" -r "$rate" -c 1 -b 16 -e signed-integer "$2" gain -3
}

synthesize_espeak() {  # dir voice variant speed pitch word name
  mkdir -p "$1/$6"
  espeak-ng -v "$2+$3" -s "$4" -p "$5" -w "$work/raw.wav" "$6"
  convert "$work/raw.wav" "$1/$6/$7.wav"
}

if [ ! -e "$work/.tests-complete" ]; then
  rm -rf "$work"/{espeak,flite,festival,unknown} && mkdir -p "$work"
  # Unseen espeak-ng speakers: held-out accents, variants absent from the shipped dataset.
  test_variants=(adam Andy annie edward john michael norbert shelby travis victor aunty Lee)
  for i in "${!test_variants[@]}"; do
    accent=$([ $((i % 2)) -eq 0 ] && echo en-029 || echo en-gb-scotland)
    variant="${test_variants[$i]}"
    speed=$((130 + (i * 7) % 50)); pitch=$((30 + (i * 13) % 40))
    for word in "${words[@]}"; do synthesize_espeak "$work/espeak" "$accent" "$variant" "$speed" "$pitch" "$word" "$accent-$variant"; done
    for word in "${unknown_words[@]:0:4}"; do synthesize_espeak "$work/unknown" "$accent" "$variant" "$speed" "$pitch" "$word" "espeak-$accent-$variant"; done
  done
  for voice in kal kal16 awb rms slt; do
    for word in "${words[@]}" "${unknown_words[@]}"; do
      group=$([[ " ${words[*]} " == *" $word "* ]] && echo flite || echo unknown)
      mkdir -p "$work/$group/$word"
      flite -voice "$voice" -t "$word" -o "$work/raw.wav"
      convert "$work/raw.wav" "$work/$group/$word/flite-$voice.wav"
    done
  done
  for voice in kal_diphone ked_diphone cmu_us_slt_arctic_hts; do
    # text2wave exits 0 and writes nothing when the voice is not installed: check for the file,
    # or the previous clip (another engine's word) would be converted under this voice's name.
    rm -f "$work/raw.wav"
    echo "hello" | text2wave -eval "(voice_$voice)" -o "$work/raw.wav" >/dev/null 2>&1 || true
    if [ ! -s "$work/raw.wav" ]; then echo "note: festival voice $voice is not installed, skipped" >&2; continue; fi
    for word in "${words[@]}" "${unknown_words[@]}"; do
      group=$([[ " ${words[*]} " == *" $word "* ]] && echo festival || echo unknown)
      mkdir -p "$work/$group/$word"
      rm -f "$work/raw.wav"
      echo "$word" | text2wave -eval "(voice_$voice)" -o "$work/raw.wav" >/dev/null 2>&1 || true
      [ -s "$work/raw.wav" ] || { echo "error: festival ($voice) wrote nothing for '$word'" >&2; exit 1; }
      convert "$work/raw.wav" "$work/$group/$word/festival-$voice.wav"
    done
  done
  touch "$work/.tests-complete"
fi

if [ ! -e "$work/.scale-complete" ]; then
  rm -rf "$work"/train300 "$work"/train5000
  # Scale sets: the six training accents with variants and prosody no test speaker has.
  train_accents=(en-gb en-us en-gb-x-gbclan en-gb-x-rp en-gb-x-gbcwmd en-us-nyc)
  scale_variants=(m1 m2 m3 m4 m5 m6 m7 m8 f1 f2 f3 f4 f5 klatt klatt2 klatt3 klatt4 david max linda paul steph benjamin belinda grandma Alex Alicia Andrea caleb ed)
  speaker=0
  for accent in "${train_accents[@]}"; do
    for variant in "${scale_variants[@]}"; do
      for speed in 135 160 185; do
        [ "$speaker" -ge 500 ] && break 3
        pitch=$((25 + (speaker * 17) % 50))
        name="$accent-$variant-s$speed"
        for word in "${words[@]}"; do
          synthesize_espeak "$work/train5000" "$accent" "$variant" "$speed" "$pitch" "$word" "$name"
        done
        speaker=$((speaker + 1))
      done
    done
  done
  # train300: every 17th speaker of train5000 (30 speakers over all six accents).
  speaker=0
  for name in $(ls "$work/train5000/yes" | sed 's/\.wav$//' | sort); do
    if [ $((speaker % 17)) -eq 0 ] && [ "$speaker" -lt 510 ]; then
      for word in "${words[@]}"; do mkdir -p "$work/train300/$word"; cp "$work/train5000/$word/$name.wav" "$work/train300/$word/"; done
    fi
    speaker=$((speaker + 1))
  done
  rm -f "$work/raw.wav"
  touch "$work/.scale-complete"
fi

cd "$root"
swift build -c release --scratch-path .build-speech --product SpeechEvaluation >&2
.build-speech/release/SpeechEvaluation \
  --dataset Sources/stt-service/DefaultDataset --hold-out en-029,en-gb-scotland --test-sets "$work"

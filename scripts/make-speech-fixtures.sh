#!/usr/bin/env bash
# Regenerates fixtures/speech/ byte for byte: short pt-BR sentences spoken by Debian's espeak-ng (voice pt-br,
# 130 words per minute), resampled to 24 kHz by sox (-R: repeatable, -D: no dither), leading and trailing silence
# trimmed by sox's `silence` effect, 16-bit mono PCM WAV; plus transcripts.tsv (file, text, purpose), TOOLS (the
# tool versions) and SHA256SUMS (transcripts.tsv and every clip).
#
#   scripts/make-speech-fixtures.sh [OUTPUT_DIR]      (default: fixtures/speech beside this script's repository)
#
# Needs espeak-ng and sox (Debian/Ubuntu: apt-get install -y espeak-ng sox). The committed files were made with
# the versions recorded in TOOLS; another espeak-ng release may pronounce differently and so give other bytes.
set -euo pipefail
export LC_ALL=C.UTF-8

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo/fixtures/speech}"
for tool in espeak-ng sox sha256sum; do
  command -v "$tool" >/dev/null || { echo "make-speech-fixtures: $tool not found (apt-get install -y espeak-ng sox)" >&2; exit 2; }
done
mkdir -p "$out"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Trim: drop leading audio until 20 ms above 0.5 % of full scale, then the same on the reversed signal (trailing).
trim=(silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse)

# file | text | purpose | extra sox effects (applied after trimming)
rows=(
  "s01_cancao.wav|A canção de ninar acalmou o bebê.|short sentence: ç, ã, ê|"
  "s02_coracao.wav|O coração da nação bate forte.|short sentence: ç, ã|"
  "s03_pao.wav|Ele pôs o pão na mesa às sete horas.|short sentence: ô, ã, à|"
  "s04_licoes.wav|As lições de física são difíceis.|short sentence: õ, í, ã|"
  "s05_praia.wav|Você já foi à praia no verão?|short sentence: ê, á, à, ã; question|"
  "s06_avos.wav|A avó e o avô moram no interior.|short sentence: ó vs ô minimal pair|"
  "s07_acucar.wav|O açúcar está no armário da cozinha.|short sentence: ç, ú, á|"
  "s08_o_de_casa.wav|Ô de casa, tem alguém aí?|short sentence: capital Ô (absent from upstream's default vocab), é, í|"
  "s09_promocoes.wav|O aviso dizia: PROMOÇÕES ATÉ AMANHÃ.|short sentence: capital Õ, Ç, Ã, É (Õ absent from upstream's default vocab)|"
  "s10_medico.wav|O médico é muito atencioso.|short sentence: é|"
  "s11_onibus.wav|O ônibus da escola chegou atrasado.|short sentence: ô|"
  "s12_irmaos.wav|Três irmãos dividiram o pão.|short sentence: ê, ã|"
  "s13_lampada.wav|A lâmpada da sala queimou ontem.|short sentence: â|"
  "s14_otimo.wav|Ótimo, vamos à reunião amanhã.|short sentence: capital Ó, à, ã|"
  "q01_baixinho.wav|Fale baixinho para não acordar ninguém.|quiet clip: volume 0.2, RMS well below 0.1 (loudness normalisation path)|vol 0.2"
  "l01_historia.wav|Era uma vez uma menina que morava numa pequena cidade do interior. Todas as manhãs ela caminhava até a padaria da esquina, comprava pão quente e conversava com o padeiro sobre o tempo.|long reference clip over 12 s (upstream clips reference audio to 12 s)|"
)

printf 'file\ttext\tpurpose\n' > "$out/transcripts.tsv"
for row in "${rows[@]}"; do
  IFS='|' read -r file text purpose effects <<<"$row"
  espeak-ng -v pt-br -s 130 -w "$tmp/raw.wav" "$text"
  # shellcheck disable=SC2086  # effects is a word list on purpose
  sox -R -D "$tmp/raw.wav" -r 24000 -b 16 -c 1 -e signed-integer "$out/$file" "${trim[@]}" $effects
  printf '%s\t%s\t%s\n' "$file" "$text" "$purpose" >> "$out/transcripts.tsv"
done

{
  echo "espeak-ng: $(espeak-ng --version | head -n1 | sed "s/ *Data at:.*//")"
  echo "$(sox --version | head -n1 | sed "s/^sox: */sox: /")"
} > "$out/TOOLS"

(cd "$out" && sha256sum transcripts.tsv $(cut -f1 transcripts.tsv | tail -n +2) > SHA256SUMS)
echo "wrote $(($(wc -l < "$out/transcripts.tsv") - 1)) clips to $out"

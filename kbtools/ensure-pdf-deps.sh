#!/usr/bin/env bash
# WeasyPrint (make pdf) needs Pango and the DejaVu fonts the PDFs embed
# (kbtools/pdf/fonts.py). Install them when missing and we may (root);
# otherwise say how. Checks files only, so it costs nothing when all is there.
set -euo pipefail
FONT_DIR=${KB_PDF_FONT_DIR:-/usr/share/fonts/truetype/dejavu}
missing=()
for font in DejaVuSans.ttf DejaVuSans-Bold.ttf DejaVuSansMono.ttf DejaVuSansMono-Bold.ttf; do
  [ -f "$FONT_DIR/$font" ] || { missing+=(fonts-dejavu-core); break; }
done
for font in DejaVuSans-Oblique.ttf DejaVuSans-BoldOblique.ttf; do
  [ -f "$FONT_DIR/$font" ] || { missing+=(fonts-dejavu-extra); break; }
done
libs=$(ldconfig -p 2>/dev/null || true)
grep -q 'libpango-1.0.so.0' <<<"$libs" || missing+=(libpango-1.0-0)
grep -q 'libpangoft2-1.0.so.0' <<<"$libs" || missing+=(libpangoft2-1.0-0)
grep -q 'libharfbuzz-subset.so.0' <<<"$libs" || missing+=(libharfbuzz-subset0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing for the PDFs: ${missing[*]}..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "error: the PDFs need these Debian packages: ${missing[*]}" >&2
echo "  Install them with: sudo apt-get install ${missing[*]}  (or set KB_PDF_FONT_DIR to a folder with the DejaVu fonts)" >&2
exit 1

#!/usr/bin/env bash
# Linux bundle: a folder with the program, Python, Qt and llama.cpp, packed as
# build/Tramontane-<version>-linux-<arch>.tar.gz with a .desktop file and icons, then checked by
# running its own --self-test.
#
#   bash installers/build-linux.sh              # CPU build of llama.cpp (what CI builds)
#   GPU=cuda bash installers/build-linux.sh     # NVIDIA: CMAKE_ARGS="-DGGML_CUDA=on"
#   GPU=vulkan bash installers/build-linux.sh   # AMD/Intel/NVIDIA: CMAKE_ARGS="-DGGML_VULKAN=on"
#
# With GPU set, llama-cpp-python is rebuilt from source with those CMAKE_ARGS (the CUDA toolkit
# or the Vulkan SDK must be installed); otherwise the environment's llama-cpp-python is used.
# PYTHON picks the virtual environment's interpreter (default .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
VERSION=$("$PYTHON" -c "import importlib.metadata as m; print(m.version('tramontane'))")
ARCH=$(uname -m)
NAME="Tramontane-$VERSION-linux-$ARCH"

case "${GPU:-}" in
  cuda) CMAKE_ARGS="-DGGML_CUDA=on" ;;
  vulkan) CMAKE_ARGS="-DGGML_VULKAN=on" ;;
  "") CMAKE_ARGS="" ;;
  *) echo "GPU must be cuda or vulkan" >&2; exit 2 ;;
esac
if [ -n "$CMAKE_ARGS" ]; then
  CMAKE_ARGS="$CMAKE_ARGS" "$PYTHON" -m pip install --force-reinstall --no-cache-dir \
    --no-deps "llama-cpp-python==0.3.36"
fi

"$PYTHON" -m pip install -q -e '.[bundle]'
"$PYTHON" installers/make_icons.py
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath build/dist --workpath build/pyinstaller installers/tramontane.spec

STAGE="build/$NAME"
rm -rf "$STAGE"
mkdir -p "$STAGE"
cp -a build/dist/Tramontane "$STAGE/Tramontane"
for size in 48 128 256 512; do
  mkdir -p "$STAGE/icons/hicolor/${size}x${size}/apps"
  cp "installers/build/tramontane-$size.png" "$STAGE/icons/hicolor/${size}x${size}/apps/tramontane.png"
done
cp installers/linux/tramontane.desktop "$STAGE/"
cp installers/linux/install.sh "$STAGE/"
tar -C build -czf "build/$NAME.tar.gz" "$NAME"

# The bundle must work on its own, from outside the source tree.
(cd /tmp && "$OLDPWD/$STAGE/Tramontane/Tramontane" --self-test)
echo "bundle: $(du -sh "$STAGE/Tramontane" | cut -f1) unpacked, $(du -h "build/$NAME.tar.gz" | cut -f1) packed: build/$NAME.tar.gz"

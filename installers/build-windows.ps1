# Windows: Tramontane with llama.cpp built for CUDA (NVIDIA) or Vulkan, packed by Inno Setup as
# build\Tramontane-<version>-windows-x64-<gpu>-setup.exe.
#
#   powershell -ExecutionPolicy Bypass -File installers\build-windows.ps1            # CUDA
#   powershell -ExecutionPolicy Bypass -File installers\build-windows.ps1 -Gpu vulkan
#   powershell -ExecutionPolicy Bypass -File installers\build-windows.ps1 -Gpu cpu
#
# Needs Visual Studio 2022 Build Tools (C++), CMake, and for CUDA the CUDA Toolkit 12.x (the
# user's driver must support that CUDA version), for Vulkan the Vulkan SDK; Inno Setup 6 (iscc)
# makes the installer. llama-cpp-python is rebuilt with:
#   cuda:   CMAKE_ARGS="-DGGML_CUDA=on"
#   vulkan: CMAKE_ARGS="-DGGML_VULKAN=on"
#   cpu:    CMAKE_ARGS=""
# Signing: set $env:SIGN_CERT_SHA1 to a code-signing certificate's thumbprint in the user's
# store; signtool signs the program and the installer (timestamped).
param([ValidateSet("cuda", "vulkan", "cpu")] [string] $Gpu = "cuda")
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

$python = if ($env:PYTHON) { $env:PYTHON } else { ".venv\Scripts\python.exe" }
$version = & $python -c "import importlib.metadata as m; print(m.version('tramontane'))"
$env:CMAKE_ARGS = @{ cuda = "-DGGML_CUDA=on"; vulkan = "-DGGML_VULKAN=on"; cpu = "" }[$Gpu]
& $python -m pip install --force-reinstall --no-cache-dir --no-deps "llama-cpp-python==0.3.36"
if ($LASTEXITCODE) { throw "llama-cpp-python did not build" }
& $python -m pip install -q -e ".[bundle]"
& $python installers\make_icons.py
& $python -m PyInstaller --noconfirm --log-level WARN `
    --distpath build\dist --workpath build\pyinstaller installers\tramontane.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

& build\dist\Tramontane\Tramontane.exe --self-test | Out-Host
if ($LASTEXITCODE) { throw "the bundle's self-test failed" }

function Sign($path) {
    if ($env:SIGN_CERT_SHA1) {
        signtool sign /sha1 $env:SIGN_CERT_SHA1 /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 $path
        if ($LASTEXITCODE) { throw "signtool failed on $path" }
    }
}
Sign "build\dist\Tramontane\Tramontane.exe"
iscc /DAppVersion=$version /DGpu=$Gpu installers\windows\tramontane.iss
if ($LASTEXITCODE) { throw "Inno Setup failed" }
Sign "build\Tramontane-$version-windows-x64-$Gpu-setup.exe"

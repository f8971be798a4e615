"""wasi-folder.py BUILTIN OUT: a package folder OUT with wasi:http's files
from jco's BUILTIN/wasi-http and every other BUILTIN/* package under deps/."""
import shutil
import sys
from pathlib import Path

builtin, out = Path(sys.argv[1]), Path(sys.argv[2])
(out / "deps").mkdir(parents=True)
for pkg in sorted(builtin.iterdir()):
    if pkg.name == "wasi-http":
        for f in pkg.glob("*.wit"):
            shutil.copy(f, out / f.name)
    elif pkg.is_dir():
        shutil.copytree(pkg, out / "deps" / pkg.name)

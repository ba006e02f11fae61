"""Where derived data is cached on disk: the compiled knowledge base and the
search index, each under a name that includes the content hash of the
knowledge files (and of the code that builds it), so a change makes a new
entry and a stale one is never read. HAZARDKB_CACHE overrides the folder;
HAZARDKB_NO_CACHE=1 turns the knowledge-base cache off."""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path


def cache_root() -> Path:
    env = os.environ.get("HAZARDKB_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "hazardkb"


@lru_cache(maxsize=1)
def code_hash() -> str:
    """A hash of the modules whose objects are pickled, so new code never reads old pickles."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("model.py", "lexicon.py", "load.py", "conditions.py", "yamlsource.py", "cache.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:12]


def read_pickle(path: Path):
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except Exception:  # missing, partial or damaged: the caller rebuilds
        return None


def write_pickle(path: Path, obj) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only home is no reason to fail
        pass

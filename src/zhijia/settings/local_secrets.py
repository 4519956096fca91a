"""Per-installation secrets for dev and test, generated on first use and kept in var/ (never committed).

Production never uses this: it reads every secret from the environment.
"""

import json
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet


def load_or_create(var_dir: Path) -> dict[str, str]:
    path = var_dir / "local-secrets.json"
    if path.exists():
        return dict(json.loads(path.read_text()))
    var_dir.mkdir(parents=True, exist_ok=True)
    values = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "PII_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "PII_BLIND_INDEX_KEY": secrets.token_hex(32),
        "CARD_SIGNING_KEY": secrets.token_urlsafe(32),
    }
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(values, indent=2))
    tmp.chmod(0o600)
    try:
        # Another process may have won the race: its file stands, ours goes.
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return dict(json.loads(path.read_text()))

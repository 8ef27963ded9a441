"""`tracker export --category ID`: one table, wide, to standard output, a file or a folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from tracker.store import Store


def export_category(store: Store, category: str, fmt: str, output: str | None) -> None:
    """Write the category's wide table: to standard output when ``output`` is None, into a
    folder (existing, or ending in a separator) as ``ID.EXT``, else to the file named."""
    from tracker.errors import TrackerError
    from tracker.export.files import guard_outputs, make_folder, publish, remove_folders
    from tracker.export.category import EXTENSIONS, text

    body = text(store.db, category, fmt)
    if output is None:
        sys.stdout.write(body)
        return
    target = Path(os.path.expanduser(output))
    created: list[Path] = []
    if output.endswith(("/", os.sep)) or target.is_dir():
        guard_outputs([target], store.path, "-o", store.catalog_path)
        created = make_folder(target, "-o")
        target = target / f"{category}.{EXTENSIONS[fmt]}"
    elif not target.parent.is_dir():
        raise TrackerError(f"-o {output}: folder {target.parent} does not exist")
    try:
        guard_outputs([target], store.path, "-o", store.catalog_path)
        publish({target: body}, "-o")
    except TrackerError:
        remove_folders(created)
        raise
    click.echo(f"wrote {target}", err=True)

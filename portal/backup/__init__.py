"""Backup and restore: ``flask backup create FILE`` and ``flask backup restore FILE``.

A backup is a ZIP file that any database can take back: one JSON Lines member per table
(typed values: datetimes as ISO 8601 with their offset, JSON columns as JSON), the media
files, and a manifest (format version, schema revision, row counts, SHA-256 of every member).
``archive.py`` holds the format, ``create.py`` writes it, ``restore.py`` checks all of it
before writing anything and then restores in one transaction.
"""
from flask import Flask


def init_app(app: Flask) -> None:
    from .cli import backup_cli

    app.cli.add_command(backup_cli)

"""Bulk import of reports from CSV or JSONL files: the AFNC open-data export or plain text,url,received_at."""

from khaojing.intake.importer.files import LAYOUTS, Record, read_records, resolve_layout
from khaojing.intake.importer.rows import RowError, parse_be_datetime, parse_iso_datetime, to_submission
from khaojing.intake.importer.service import (
    ImportPlan,
    ImportResult,
    checkpoint,
    import_file,
    prepare_import,
    run_import,
)

__all__ = ["LAYOUTS", "ImportPlan", "ImportResult", "Record", "RowError", "checkpoint", "import_file",
           "parse_be_datetime", "parse_iso_datetime", "prepare_import", "read_records", "resolve_layout",
           "run_import", "to_submission"]

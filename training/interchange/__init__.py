"""The question bank in and out of Moodle: Moodle XML and GIFT files, read into the bank and written from it.

``moodle_xml`` and ``gift`` turn files into plain records (``records``) and
the bank back into files; ``richtext`` keeps HTML out of the bank and carries
a spot question's sample post through formats that have no such thing;
``services`` checks a whole file, saves it all or nothing, and exports.
"""

from training.interchange.records import ParsedOption, ParsedQuestion, ParseResult, Problem, Skipped
from training.interchange.services import (
    DEFAULT_CATEGORY,
    FORMATS,
    MAX_PROBLEMS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_LABEL,
    BankImportError,
    ImportReport,
    bank_export,
    bank_import,
    bank_parse,
    bank_questions,
)

__all__ = [
    "DEFAULT_CATEGORY",
    "FORMATS",
    "MAX_PROBLEMS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_LABEL",
    "BankImportError",
    "ImportReport",
    "ParseResult",
    "ParsedOption",
    "ParsedQuestion",
    "Problem",
    "Skipped",
    "bank_export",
    "bank_import",
    "bank_parse",
    "bank_questions",
]

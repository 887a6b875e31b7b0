"""The clean stage: from a RawDocument (text or HTML) to an Article with junk, captions and
templates taken out, language identified and sentences located.

    >>> from wiretrace.clean import clean_text
    >>> result = clean_text(open("article.txt").read())
    >>> result.text, result.removed, result.captions
"""

from wiretrace.clean.document import CleanResult, clean_document, clean_text
from wiretrace.clean.language import detect_language
from wiretrace.clean.sentences import split_sentences
from wiretrace.clean.templates import remove_templates

__all__ = [
    "CleanResult",
    "clean_document",
    "clean_text",
    "detect_language",
    "remove_templates",
    "split_sentences",
]

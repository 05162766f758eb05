"""muragat: Kazakh documents to a searchable, cited knowledge base."""

from muragat.model import Document, Range, Span, Token
from muragat.pipeline import analyze

__all__ = ["Document", "Range", "Span", "Token", "analyze"]
__version__ = "0.1.0"

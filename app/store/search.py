"""Full-text search over every message (FTS5), with the hits marked in a snippet."""

from __future__ import annotations

from app.core.conversation import SearchResult
from app.store.database import Database

HIT_START, HIT_END = "\x02", "\x03"  # marks snippet() puts around hits, turned into spans
ELLIPSIS = "…"
SNIPPET_TOKENS = 16


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must appear, the last one as a prefix.

    Each word is quoted, so operators and punctuation typed by the user are plain text.
    """
    words = [w.replace('"', '""') for w in text.split()]
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def highlights(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet without its marks, and the (start, end) of each marked hit."""
    plain: list[str] = []
    spans: list[tuple[int, int]] = []
    start = 0
    for char in marked:
        if char == HIT_START:
            start = len(plain)
        elif char == HIT_END:
            spans.append((start, len(plain)))
        else:
            plain.append(char)
    return "".join(plain), tuple(spans)


class MessageSearch:
    """The search operation of `SqliteStore`."""

    _db: Database

    def search(self, query: str, limit: int = 50) -> list[SearchResult]:
        """Messages of the listed (not deleted) conversations holding every word, best first."""
        match = fts_query(query)
        if not match:
            return []
        rows = self._db.read(
            "SELECT m.id, m.conversation_id, c.title, "
            f"snippet(messages_fts, 0, '{HIT_START}', '{HIT_END}', '{ELLIPSIS}', "
            f"{SNIPPET_TOKENS}) AS marked "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "JOIN conversations c ON c.id = m.conversation_id "
            "WHERE messages_fts MATCH ? AND c.deleted_at IS NULL "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        )
        results = []
        for row in rows:
            snippet, spans = highlights(row["marked"])
            results.append(
                SearchResult(row["conversation_id"], row["id"], row["title"], snippet, spans)
            )
        return results

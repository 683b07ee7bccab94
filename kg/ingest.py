"""`kg ingest`: read -> extract -> build -> store, streaming, one transaction per article."""
from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from kg.build import build_records
from kg.io.readers import ReadError, iter_articles
from kg.model import Article
from kg.pipeline import Extractor, extractor_fingerprint


@dataclass
class IngestReport:
    articles_seen: int = 0
    articles_stored: int = 0
    articles_new: int = 0
    articles_replaced: int = 0
    articles_unchanged: int = 0
    articles_skipped: int = 0
    entities_new: int = 0
    entities_updated: int = 0
    events: int = 0
    edges: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def failed(self) -> int:
        return len(self.failures)

    def summary(self, target: str) -> str:
        secs = time.monotonic() - self.started
        lines = [
            f"{self.articles_seen} article(s) read in {secs:.1f}s into {target}: "
            f"{self.articles_new} new, {self.articles_replaced} re-extracted, "
            f"{self.articles_unchanged + self.articles_skipped} unchanged",
            f"entities: {self.entities_new} new, {self.entities_updated} updated; events: {self.events}; "
            f"edges: {self.edges}",
        ]
        if self.failures:
            lines.append(f"{self.failed} input(s) failed:")
            lines.extend(f"  {f}" for f in self.failures)
        return "\n".join(lines)


def run_ingest(inputs: list[str], sink, report: IngestReport, *, published: dt.datetime | None = None,
               language: str | None = None, gazetteer: tuple[str, ...] = (), force: bool = False,
               batch_size: int = 16, progress: bool = False,
               on_error: Callable[[ReadError], None] | None = None) -> IngestReport:
    """Ingest into `sink` (SQLiteStore or Neo4jStore). Articles already stored with the same
    extractor are skipped unless `force`; KeyboardInterrupt propagates after the last commit."""
    extractor = Extractor(gazetteer)
    fingerprint = extractor_fingerprint()
    has_article = getattr(sink, "has_article", None)

    def articles() -> Iterator[Article]:
        for item in iter_articles(inputs, published=published, language=language):
            if isinstance(item, ReadError):
                report.failures.append(str(item))
                if on_error:
                    on_error(item)
                continue
            report.articles_seen += 1
            if not force and has_article is not None and _stored_with(sink, item.id, fingerprint):
                report.articles_skipped += 1
                continue
            yield item

    # a progress bar only on a terminal: on a pipe or log file rich's transient bar leaves a blank line
    bar = _Progress() if progress and sys.stderr.isatty() else None
    try:
        for ex in extractor.extract_many(_tick(articles(), bar), batch_size=batch_size):
            res = sink.write(build_records(ex))
            report.articles_stored += 1
            report.articles_new += res.articles_new
            report.articles_replaced += res.articles_replaced
            report.articles_unchanged += res.articles_unchanged
            report.entities_new += res.entities_new
            report.entities_updated += res.entities_updated
            report.events += res.events
            report.edges += res.edges
    finally:
        if bar:
            bar.close()
    return report


def _stored_with(sink, article_id: str, fingerprint: str) -> bool:
    stored = sink.article_extractor(article_id)
    return stored is not None and stored.split(" ")[0] == fingerprint


def _tick(items: Iterable[Article], bar) -> Iterator[Article]:
    for a in items:
        if bar:
            bar.advance(a.source or a.id)
        yield a


class _Progress:
    """A rich progress bar on stderr: articles done, rate and elapsed time."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        self.p = Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                          MofNCompleteColumn(), TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=True)
        self.task = self.p.add_task("ingesting", total=None, rate="")
        self.start = time.monotonic()
        self.n = 0
        self.p.start()

    def advance(self, label: str) -> None:
        self.n += 1
        rate = self.n / max(time.monotonic() - self.start, 1e-6)
        self.p.update(self.task, advance=1, description=f"ingesting {label[-40:]}", rate=f"{rate:.1f}/s")

    def close(self) -> None:
        self.p.stop()

"""``manage.py import_feeds``: import the partner feeds that are due (or the one named), then queue the geocoding
of what is pending (a task: run at once by the immediate backend, by the task worker in production).

Meant for cron or a Kubernetes CronJob every hour: each source's own schedule (``every_hours``) decides whether it
runs, and the database lock makes overlapping runs harmless.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_tasks import TaskResultStatus

from importers.base import BaseImporter, ImportReport
from importers.feeds import importer_for
from importers.models import FeedSource
from importers.tasks import geocode_addresses

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Importe les flux partenaires (ceux dont l'échéance est passée, ou celui indiqué)."

    def add_arguments(self, parser):
        parser.add_argument("--source", help="nom ou identifiant du flux (sinon : tous les flux actifs à échéance)")
        parser.add_argument("--file", type=Path, help="lire ce fichier local au lieu de télécharger le flux")
        parser.add_argument("--dry-run", action="store_true", help="tout lire et compter, ne rien écrire")
        parser.add_argument("--all", action="store_true", help="ignorer les échéances : importer tous les flux actifs")
        parser.add_argument("--no-geocode", action="store_true", help="ne pas géocoder les adresses en attente")

    def handle(self, *args, source=None, file=None, dry_run=False, all=False, no_geocode=False, **options):
        sources = self._sources(source, file, all)
        reports = []
        for feed in sources:
            importer = importer_for(feed, dry_run=dry_run, progress=self._progress)
            stream = file.open("rb") if file else None
            try:
                reports.append(importer.run(stream))
            finally:
                if stream:
                    stream.close()
            self.stderr.write("")
        self.stdout.write(self._table(reports))
        if not dry_run and not no_geocode and not file:
            self._geocode(sources[0].slug if source else None)
        if any(report.status == "failed" for report in reports):
            raise CommandError("Au moins un flux a échoué : voir le tableau ci-dessus.")

    def _geocode(self, source: str | None) -> None:
        """Queue the geocoding of pending addresses; run where it is queued (immediate backend), say what it did."""
        result = geocode_addresses.enqueue(source)
        if not result.is_finished:
            self.stdout.write("Géocodage des adresses en attente confié au worker des tâches.")
        elif result.status == TaskResultStatus.SUCCESSFUL:
            stats = result.return_value
            if stats["found"] or stats["failed"]:
                self.stdout.write(f"Géocodage : {stats['found']} adresse(s) trouvée(s), {stats['failed']} échec(s).")
        else:
            self.stderr.write("Le géocodage a échoué : voir les résultats des tâches et le journal.")

    def _sources(self, name: str | None, file: Path | None, run_all: bool) -> list[FeedSource]:
        if file and not name:
            raise CommandError("--file demande --source : à quel flux ce fichier appartient-il ?")
        if file and not file.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        if name:
            found = FeedSource.objects.filter(Q(name=name) | Q(slug=name)).first()
            if found is None:
                raise CommandError(f"Flux inconnu : {name}")
            return [found]
        active = list(FeedSource.objects.active())
        return active if run_all else [feed for feed in active if feed.is_due()]

    def _progress(self, importer: BaseImporter) -> None:
        if not self.stderr.isatty():  # cron and CronJob logs get the summary table only
            return
        reader, seen = importer.reader, importer.report.seen
        if reader is not None and reader.total:
            done = min(reader.position / reader.total, 1.0)
            filled = int(done * BAR_WIDTH)
            bar = "█" * filled + "·" * (BAR_WIDTH - filled)
            self.stderr.write(f"\r{importer.source.name} [{bar}] {done:4.0%} {seen:>8} missions", ending="")
        else:
            self.stderr.write(f"\r{importer.source.name} {seen:>8} missions", ending="")
        self.stderr.flush()

    def _table(self, reports: list[ImportReport]) -> str:
        headers = (
            "flux",
            "statut",
            "lues",
            "créées",
            "modifiées",
            "inchangées",
            "archivées",
            "restaurées",
            "refusées",
            "durée",
        )
        rows = [
            (
                r.source,
                r.status,
                *(
                    str(getattr(r, k))
                    for k in ("seen", "created", "updated", "unchanged", "archived", "restored", "refused")
                ),
                f"{(r.finished_at - r.started_at).total_seconds():.1f} s" if r.finished_at else "",
            )
            for r in reports
        ]
        widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
        lines = [" | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
        lines.append("-+-".join("-" * w for w in widths))
        lines += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
        for report in reports:
            for message in ([report.fatal] if report.fatal else []) + report.warnings:
                lines.append(f"⚠ {report.source} : {message}")
        if not reports:
            lines.append("Aucun flux à importer.")
        return "\n".join(lines)

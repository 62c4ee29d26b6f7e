"""``manage.py search_reindex [--kind missions|offers]``: rebuild the search index from the database."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from search.base import get_backend
from search.indexing import KINDS


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche (missions et offres) à partir de la base de données."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", choices=sorted(KINDS), help="Ne reconstruire qu'un type de contenu.")
        parser.add_argument("--backend", choices=["database", "elasticsearch"], help="Par défaut : SEARCH_BACKEND.")

    def handle(self, *args, kind=None, backend=None, verbosity=1, **options) -> None:
        engine = get_backend(backend)
        for name in [kind] if kind else sorted(KINDS):
            spec = KINDS[name]
            total = spec.searchable().count()
            with tqdm(total=total, desc=name, unit=" doc", file=self.stderr, disable=verbosity == 0) as bar:
                done = engine.rebuild(spec, spec.records(), progress=bar.update)
            self.stdout.write(f"{name} : {done} document(s) indexé(s).")

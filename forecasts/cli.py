"""The ``forecasts`` command line: thin click wrappers over the package's functions."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from sqlalchemy.orm import Session

from forecasts.errors import ForecastsError
from forecasts.storage import migrate
from forecasts.storage.db import PROJECT_ROOT, database_url, make_engine, make_sessionmaker, transaction
from forecasts.storage.records import SOURCE_KINDS

if TYPE_CHECKING:
    from forecasts.storage.exchange import Bundle


@contextmanager
def _transaction() -> Iterator[Session]:
    """A session on DATABASE_URL that commits at the end, and an engine closed afterwards."""
    engine = make_engine(database_url())
    try:
        with transaction(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc))


def _load(read: Callable[[], Bundle], *, by: str, label: str = "claims") -> None:
    """Read a whole file first, then write it in one transaction with a progress bar; print the tally."""
    from forecasts.storage.exchange import load_bundle

    try:
        bundle = read()
        with (
            _transaction() as session,
            click.progressbar(length=len(bundle.claims), label=label, file=sys.stderr) as bar,
        ):
            report = load_bundle(session, bundle, by=by, progress=bar.update)
    except ForecastsError as exc:
        _fail(exc)
    click.echo(report.summary())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="forecasts")
def main() -> None:
    """Track dated expert forecasts of AI milestones and pool them (database from DATABASE_URL)."""


@main.group()
def db() -> None:
    """Manage the database schema."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    migrate.upgrade(revision=revision)
    click.echo(f"database at {revision}")


@db.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step; 'base' empties it)."""
    migrate.downgrade(revision=revision)
    click.echo(f"database at {revision}")


@db.command()
def check() -> None:
    """Fail if the models and the migrations have drifted apart."""
    try:
        migrate.check()
    except Exception as exc:  # alembic raises its own CommandError with the differences
        _fail(exc)
    click.echo("no drift between the models and the migrations")


@db.command()
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset(yes: bool) -> None:
    """Drop every table and migrate up again: an empty database."""
    if not yes:
        click.confirm(f"Erase everything in {database_url()}?", abort=True)
    migrate.downgrade(revision="base")
    migrate.upgrade()
    click.echo("database emptied and migrated to head")


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "seeds",
    show_default=True,
    help="Folder of seed files.",
)
def seed(directory: Path) -> None:
    """Check, then load the seed files (idempotent: unchanged rows are left alone)."""
    from forecasts.storage.data_check import DataCheckError, check_bundle
    from forecasts.storage.exchange import read_seed_dir

    def read() -> Bundle:
        bundle = read_seed_dir(directory)
        if problems := check_bundle(bundle):
            raise DataCheckError(problems)
        return bundle

    _load(read, by="seed")


@main.command("check-data")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=PROJECT_ROOT / "seeds",
    show_default=True,
    help="Folder of seed files.",
)
def check_data(directory: Path) -> None:
    """Check the seed files against the data rules; print every problem with its file and line."""
    from forecasts.storage.data_check import check_bundle
    from forecasts.storage.exchange import read_seed_dir

    try:
        bundle = read_seed_dir(directory)
    except ForecastsError as exc:
        _fail(exc)
    problems = check_bundle(bundle)
    for line in problems:
        click.echo(line)
    if problems:
        raise click.ClickException(f"{len(problems)} problems in {directory}")
    click.echo(f"{len(bundle.claims)} claims and {len(bundle.sources)} sources keep the data rules")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", default="import", show_default=True, help="Who the revisions are recorded as made by.")
def import_(file: Path, by: str) -> None:
    """Import claims from FILE (.json export, .csv export or .yaml seed); all or nothing."""
    from forecasts.storage.exchange import read_file

    _load(lambda: read_file(file), by=by)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True)
@click.argument("file", default="-", type=click.Path(dir_okay=False, allow_dash=True))
def export(fmt: str, file: str) -> None:
    """Export every live claim to FILE (default: standard output)."""
    from forecasts.storage.exchange import export_csv, export_json

    with _transaction() as session:
        text = export_json(session) if fmt == "json" else export_csv(session)
    if file == "-":
        click.echo(text, nl=False)
    else:
        Path(file).write_text(text, encoding="utf-8")
        click.echo(f"wrote {file}", err=True)


@main.command("import-survey")
@click.option("--format", "fmt", type=click.Choice(["espai"]), default="espai", show_default=True)
@click.option("--question", type=click.Choice(["hlmi", "faol"]), required=True)
@click.option("--survey-date", type=click.DateTime(["%Y-%m-%d"]), required=True, help="When it was fielded.")
@click.option("--milestone", required=True, help="The milestone slug the answers are about.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_survey(fmt: str, question: str, survey_date: Any, milestone: str, file: Path) -> None:
    """Import survey answers: each respondent an anonymous speaker with one claim at the survey date."""
    from forecasts.services.survey_import import survey_bundle

    _load(
        lambda: survey_bundle(file, question=question, survey_date=survey_date.date(), milestone=milestone),
        by="import-survey",
        label="respondents",
    )


@main.command("reproduce-espai")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--survey-date", type=click.DateTime(["%Y-%m-%d"]), default="2023-10-15", show_default=True)
def reproduce_espai(file: Path, survey_date: Any) -> None:
    """Print the 2023 ESPAI headline figures next to ours, from the raw responses in FILE."""
    from forecasts.engine.survey import reproduce_espai as run

    try:
        table = run(file, survey_date=survey_date.date())
    except ForecastsError as exc:
        _fail(exc)
    click.echo(table.to_string(index=False))


@main.command("import-transcript")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the candidates; save nothing.")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="text", show_default=True)
@click.option("--said-on", type=click.DateTime(["%Y-%m-%d"]), help="Date of the recording (default: --published-on).")
@click.option("--narrator", help="Slug of the speaker of the text outside quotations (a narrated video).")
@click.option("--guest", help="Slug of the guest, for unlabelled text (default: the one the title or host names).")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=None,
    help="Keep candidates scoring at least this (default: the tuned threshold; 0 keeps all).",
)
@click.option("--source-key", help="Key of the source (default: from the title and date).")
@click.option("--source-title", help="Title of the source; required to save.")
@click.option("--source-url", help="URL of the source.")
@click.option("--source-kind", type=click.Choice(SOURCE_KINDS), default="video", show_default=True)
@click.option("--published-on", type=click.DateTime(["%Y-%m-%d"]), help="When the source was published.")
@click.option("--by", default="import-transcript", show_default=True, help="Who the revisions are recorded as made by.")
def import_transcript(
    file: Path,
    dry_run: bool,
    fmt: str,
    said_on: Any,
    narrator: str | None,
    guest: str | None,
    threshold: float | None,
    source_key: str | None,
    source_title: str | None,
    source_url: str | None,
    source_kind: str,
    published_on: Any,
    by: str,
) -> None:
    """Find the forecasts in a transcript; print them (--dry-run) or save them as unverified claims."""
    from forecasts.reading.transcript import candidates_to_json
    from forecasts.services import transcript_import as ti

    if not (said_on or published_on):
        raise click.UsageError("give --said-on (or --published-on) so that relative phrases can be read")
    day = (said_on or published_on).date()
    if not dry_run and not source_title:
        raise click.UsageError("give --source-title to save the claims (or use --dry-run)")
    text = file.read_text(encoding="utf-8-sig")
    try:
        with _transaction() as session:
            if dry_run:
                found = ti.find_candidates(
                    session,
                    text,
                    said_on=day,
                    narrator=narrator,
                    guest=guest,
                    title=source_title,
                    name=str(file),
                    **({"threshold": threshold} if threshold is not None else {}),
                )
            else:
                source = ti.source_record(
                    title=source_title or "",
                    kind=source_kind,
                    url=source_url,
                    key=source_key,
                    published_on=published_on.date() if published_on else None,
                )
                report = ti.import_transcript(
                    session,
                    text,
                    source=source,
                    said_on=day,
                    narrator=narrator,
                    by=by,
                    name=str(file),
                    guest=guest,
                    **({"threshold": threshold} if threshold is not None else {}),
                )
    except ForecastsError as exc:
        _fail(exc)
    if not dry_run:
        click.echo(report.summary())
    elif fmt == "json":
        click.echo(json.dumps(candidates_to_json(found), indent=2, ensure_ascii=False))
    else:
        for c in found:
            forecast = c.forecast.to_dict() if c.forecast else None
            who, what = c.speaker or "?", c.milestone or "?"
            click.echo(f"{c.score:.2f}  {c.locator}  {who}  {what}  {forecast}\n    {c.quote}")


@main.group()
def users() -> None:
    """Manage editors' accounts."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "editor"]), default="editor", show_default=True)
@click.password_option(help="Asked twice and never echoed when not given.")
def users_create(email: str, role: str, password: str) -> None:
    """Create an account that can sign in to the admin pages."""
    from forecasts.storage.accounts import create_user

    try:
        with _transaction() as session:
            user = create_user(session, email, password, role=role)
    except ForecastsError as exc:
        _fail(exc)
    click.echo(f"created {user.role} {user.email}")


@main.group()
def tokens() -> None:
    """Manage API tokens for the write endpoints."""


@tokens.command("create")
@click.option("--user", "email", required=True, help="The account the token acts for.")
@click.option("--name", required=True, help="What the token is for, e.g. 'import script'.")
def tokens_create(email: str, name: str) -> None:
    """Create a bearer token; it is printed once and stored only as a hash."""
    from forecasts.storage.accounts import create_token, user_by_email

    try:
        with _transaction() as session:
            new = create_token(session, user_by_email(session, email), name)
    except ForecastsError as exc:
        _fail(exc)
    click.echo(new.token)
    click.echo(f"token {new.record.prefix}… for {email}; keep it now, it is not shown again", err=True)


@tokens.command("revoke")
@click.argument("prefix")
def tokens_revoke(prefix: str) -> None:
    """Revoke the live token whose first characters are PREFIX."""
    from forecasts.storage.accounts import revoke_token

    try:
        with _transaction() as session:
            revoke_token(session, prefix)
    except ForecastsError as exc:
        _fail(exc)
    click.echo(f"revoked {prefix}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the web app with gunicorn."""
    from webapp.server import run

    run(host=host, port=port, workers=workers)


if __name__ == "__main__":
    main()

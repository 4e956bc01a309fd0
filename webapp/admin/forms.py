"""The admin forms (Flask-WTF: each carries a CSRF token)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from forecasts.engine.model import DatePrecision, ForecastKind
from forecasts.storage.orm import ROLES
from forecasts.storage.records import SOURCE_KINDS, SPEAKER_KINDS, VERIFICATION_STATUSES


def options(pairs: Iterable[tuple[str, str] | str]) -> list[SelectChoice]:
    """Select options from (value, label) pairs or plain values."""
    return [SelectChoice(p) if isinstance(p, str) else SelectChoice(p[0], p[1]) for p in pairs]


PRECISIONS = options(p.value for p in DatePrecision)
KINDS = options((k.value, k.value.replace("_", " ")) for k in ForecastKind)

#: The forecast inputs each kind shows; the server ignores the others, as the page hides them.
KIND_INPUTS: dict[str, tuple[str, ...]] = {
    "window": ("year_low", "year_high", "probability", "confidence"),
    "point": ("year_low", "probability", "confidence"),
    "probability_by": ("year_high", "probability", "confidence"),
    "quantiles": ("points", "confidence"),
    "lower_bound": ("year_low", "probability", "confidence"),
    "upper_bound": ("year_high", "probability", "confidence"),
    "never": ("confidence",),
    "eventually": ("confidence",),
}
FORECAST_INPUTS = ("year_low", "year_high", "probability", "points", "confidence")


def kinds_showing(name: str) -> str:
    """The kinds that show the input ``name``, for its ``data-kinds`` attribute."""
    return " ".join(kind for kind, inputs in KIND_INPUTS.items() if name in inputs)


def _kind_field(label: str = "Kind of forecast") -> SelectField:
    return SelectField(label, choices=KINDS, default="window", render_kw={"data-role": "kind"})


class LoginForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired()])


class ClaimForm(FlaskForm):  # type: ignore[misc]
    speaker = SelectField("Speaker", choices=[], validate_choice=False)
    new_speaker_name = StringField("…or add a speaker: name")
    new_speaker_slug = StringField("Slug (from the name when empty)")
    new_speaker_kind = SelectField("Kind", choices=options(SPEAKER_KINDS), default="person")
    speaker_role = StringField("Speaker's role when speaking")
    milestone = SelectField("Milestone", choices=[], validate_choice=False)
    source = SelectField("Source", choices=[], validate_choice=False)
    new_source_title = StringField("…or add a source: title")
    new_source_kind = SelectField("Kind", choices=options(SOURCE_KINDS), default="interview")
    new_source_url = StringField("URL")
    new_source_published_on = StringField("Published on", render_kw={"type": "date"})
    new_source_key = StringField("Key (from the title and date when empty)")
    said_on = StringField("Date said", render_kw={"type": "date"})
    said_precision = SelectField("Precision of the date", choices=PRECISIONS, default="day")
    quote = TextAreaField("Quote", render_kw={"rows": 4})
    # Not stored: where the editor read the quote, for "Suggest" to fill in the source from.
    link = StringField("Link where you read it", render_kw={"type": "url", "placeholder": "https://…"})
    verbatim = RadioField("Wording", choices=options(["verbatim", "paraphrase"]), default="verbatim")
    locator = StringField("Locator (timestamp HH:MM:SS or page)")
    verification = SelectField("Verification", choices=options(VERIFICATION_STATUSES), default="unverified")
    notes = TextAreaField("Notes", render_kw={"rows": 2})
    relative_phrase = StringField("Relative phrase as spoken")
    definition = TextAreaField("The speaker's own definition of the milestone, if they give one", render_kw={"rows": 2})
    kind = _kind_field()
    year_low = StringField("From year", render_kw={"inputmode": "numeric"})
    year_high = StringField("By year", render_kw={"inputmode": "numeric"})
    probability = StringField("Probability (0–1 or a percentage)")
    points = TextAreaField("Quantiles: one 'year, probability' pair a line", render_kw={"rows": 3})
    confidence = StringField("Confidence words")
    reason = StringField("Reason for the change (optional)")
    version = HiddenField()


class SpeakerForm(FlaskForm):  # type: ignore[misc]
    slug = StringField("Slug")
    name = StringField("Name")
    kind = SelectField("Kind", choices=options(SPEAKER_KINDS), default="person")
    affiliation = StringField("Affiliation")
    url = StringField("URL")
    description = TextAreaField("Description", render_kw={"rows": 3})


class SourceForm(FlaskForm):  # type: ignore[misc]
    key = StringField("Key")
    kind = SelectField("Kind", choices=options(SOURCE_KINDS), default="interview")
    title = StringField("Title")
    publisher = StringField("Publisher")
    url = StringField("URL")
    published_on = StringField("Published on", render_kw={"type": "date"})
    published_precision = SelectField("Precision of the date", choices=PRECISIONS, default="day")
    notes = TextAreaField("Notes", render_kw={"rows": 2})


class MilestoneForm(FlaskForm):  # type: ignore[misc]
    slug = StringField("Slug")
    name = StringField("Name")
    definition = TextAreaField("Definition", render_kw={"rows": 4})
    parent = SelectField("Parent", choices=[], validate_choice=False)
    resolved_on = StringField("Resolved on (admins)", render_kw={"type": "date"})
    resolution = StringField("How it resolved (admins)")
    resolution_source = SelectField("Resolution source (admins)", choices=[], validate_choice=False)


class UserForm(FlaskForm):  # type: ignore[misc]
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=options(ROLES), default="editor")
    password = PasswordField("Password", validators=[DataRequired()])


class TokenForm(FlaskForm):  # type: ignore[misc]
    user = SelectField("Account", choices=[], validate_choice=False)
    name = StringField("What the token is for", validators=[DataRequired(), Length(max=120)])


class ImportForm(FlaskForm):  # type: ignore[misc]
    transcript = TextAreaField("Paste the transcript", render_kw={"rows": 10})
    upload = FileField("…or upload it (bracketed timestamps, SRT or WebVTT)")
    said_on = StringField("Date of the recording", render_kw={"type": "date"})
    narrator = SelectField("Narrator (who speaks outside quotations)", choices=[], validate_choice=False)
    threshold = StringField("Show candidates scoring at least (0 to 1; 0 shows all)")
    source_title = StringField("Source title")
    source_kind = SelectField("Source kind", choices=options(SOURCE_KINDS), default="video")
    source_url = StringField("Source URL")
    published_on = StringField("Published on", render_kw={"type": "date"})
    source_key = StringField("Source key (from the title and date when empty)")


class CandidateForm(Form):  # type: ignore[misc]
    """One proposed claim of a transcript; a plain subform (the enclosing form carries the token)."""

    decision = RadioField("Decision", choices=options(["accept", "reject"]), default="reject")
    quote = TextAreaField("Quote", render_kw={"rows": 2})
    speaker = SelectField("Speaker", choices=[], validate_choice=False)
    milestone = SelectField("Milestone", choices=[], validate_choice=False)
    said_on = StringField("Said on", render_kw={"type": "date"})
    locator = StringField("Locator")
    relative_phrase = StringField("Relative phrase")
    kind = _kind_field("Kind")
    year_low = StringField("From year")
    year_high = StringField("By year")
    probability = StringField("Probability")
    points = HiddenField()
    confidence = StringField("Confidence words")
    score = HiddenField()  # how likely a reviewer keeps it, and why: shown, never saved
    reasons = HiddenField()


class ReviewForm(FlaskForm):  # type: ignore[misc]
    source_title = HiddenField()
    source_kind = HiddenField()
    source_url = HiddenField()
    published_on = HiddenField()
    source_key = HiddenField()
    candidates = FieldList(FormField(CandidateForm))

"""Print the published 2023 ESPAI aggregate next to ours, for HLMI and FAOL.

Usage::

    python bench/espai_reproduce.py PATH/TO/responses.csv [--survey-date 2023-10-15]

PATH is the cleaned 2023 ESPAI responses (``combined-cleaned-personal-anon.csv`` from the public
repository tadamcz/espai). Years are stated as the paper states them: 2023 + years after the survey.
"""

from __future__ import annotations

import argparse
import datetime as dt

import pandas as pd

from forecasts.engine.survey import SURVEY_DATE, reproduce_espai


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="the cleaned ESPAI responses CSV")
    parser.add_argument("--survey-date", type=dt.date.fromisoformat, default=SURVEY_DATE)
    args = parser.parse_args()
    table = reproduce_espai(args.path, survey_date=args.survey_date)
    with pd.option_context("display.width", 120, "display.float_format", "{:.2f}".format):
        print(table.to_string(index=False))


if __name__ == "__main__":
    main()

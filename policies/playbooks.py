"""Playbooks: the steps of an out-of-hours procedure, written as lines and kept with each version.

A playbook is a document like any other (versions, approval, history), plus
an ordered list of steps. Authors write one step per line as
``instruction | who does it | target minutes``; the steps are checked and
stored with the draft, so a published version's steps never change and an
incident opened from it keeps exactly the steps it was given.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

MAX_STEPS = 50
MAX_TARGET_MINUTES = 7 * 24 * 60
MAX_INSTRUCTION = 500
MAX_WHO = 100
FORMAT_HINT = "instruction | who does it | target in minutes"


@dataclass(frozen=True)
class Step:
    order: int
    instruction: str
    who: str
    target_minutes: int

    def as_dict(self) -> dict:
        return asdict(self)


class StepsError(ValueError):
    """Every problem in the steps, each naming its line, so the author can fix them all at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


def steps_parse(text: str) -> list[Step]:
    """Lines ``instruction | who | minutes`` into steps; blank lines are ignored. Raises ``StepsError``."""
    steps: list[Step] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3:
            problems.append(f"Line {number}: write the step as “{FORMAT_HINT}”, with two | between them.")
            continue
        instruction, who, minutes = parts
        if not instruction:
            problems.append(f"Line {number}: say what to do.")
        elif len(instruction) > MAX_INSTRUCTION:
            problems.append(f"Line {number}: keep the instruction under {MAX_INSTRUCTION} characters.")
        if not who:
            problems.append(f"Line {number}: say who does it, for example “Whoever is on call”.")
        elif len(who) > MAX_WHO:
            problems.append(f"Line {number}: keep who does it under {MAX_WHO} characters.")
        if not minutes.isdigit() or not 1 <= int(minutes) <= MAX_TARGET_MINUTES:
            problems.append(
                f"Line {number}: give the target as whole minutes from the start, between 1 and "
                f"{MAX_TARGET_MINUTES:,} (a week), for example 15."
            )
            continue
        if not problems or not problems[-1].startswith(f"Line {number}:"):
            steps.append(Step(len(steps) + 1, instruction, who, int(minutes)))
    if len(steps) > MAX_STEPS:
        problems.append(f"A playbook can have up to {MAX_STEPS} steps; this one has {len(steps)}.")
    if problems:
        raise StepsError(problems)
    return steps


def steps_source(steps: list[dict]) -> str:
    """Stored steps back into the lines an author edits."""
    return "\n".join(f"{s['instruction']} | {s['who']} | {s['target_minutes']}" for s in steps)

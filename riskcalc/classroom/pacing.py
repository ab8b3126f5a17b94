"""Pacing: which exercises a class may answer now, whether the class is paused, and which worked
solutions the teacher has shown to everyone.

The teacher opens exercises one at a time (``open_through`` counts the open ones, in lesson
order) or all at once (``open_through`` is ``None``), pauses and resumes the class, and reveals an
exercise's worked solution to every student. Students' pages poll :func:`pace_code`, a short
string that changes whenever what they see changes, and swap only the exercises that differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext

from riskcalc.classroom.lessons import Lesson
from riskcalc.models.classroom import ClassSession

__all__ = ["PaceAction", "Phase", "pace_apply", "pace_code", "pace_summary", "phase", "phases"]


class PaceAction(StrEnum):
    OPEN_NEXT = "open_next"
    OPEN_ALL = "open_all"
    PAUSE = "pause"
    RESUME = "resume"
    REVEAL = "reveal"
    HIDE = "hide"


@dataclass(frozen=True, slots=True, kw_only=True)
class Phase:
    """What students may do with one exercise right now."""

    number: int
    exercise: str
    locked: bool
    paused: bool
    revealed: bool

    @property
    def answerable(self) -> bool:
        return not (self.locked or self.paused)

    @property
    def code(self) -> str:
        """One letter: ``l`` locked; ``o`` open, ``p`` paused; upper case when revealed."""
        letter = "l" if self.locked else "p" if self.paused else "o"
        return letter.upper() if self.revealed and not self.locked else letter


def phase(session: ClassSession, lesson: Lesson, exercise: str) -> Phase:
    number = lesson.exercise_ids.index(exercise) + 1
    locked = session.open_through is not None and number > session.open_through
    return Phase(
        number=number,
        exercise=exercise,
        locked=locked,
        paused=session.paused or not session.is_open,
        revealed=exercise in session.revealed,
    )


def phases(session: ClassSession, lesson: Lesson) -> tuple[Phase, ...]:
    return tuple(phase(session, lesson, exercise) for exercise in lesson.exercise_ids)


def pace_code(session: ClassSession, lesson: Lesson) -> str:
    """One letter per exercise (see :attr:`Phase.code`), then ``c`` if the session is closed.

    >>> from types import SimpleNamespace
    >>> lesson = SimpleNamespace(exercise_ids=("a", "b", "c"))
    >>> s = SimpleNamespace(open_through=2, paused=False, is_open=True, revealed=["a"])
    >>> pace_code(s, lesson)
    'Ool'
    >>> pace_code(SimpleNamespace(open_through=None, paused=True, is_open=True, revealed=[]), lesson)
    'ppp'
    """
    letters = "".join(p.code for p in phases(session, lesson))
    return letters if session.is_open else f"{letters}c"


def pace_apply(
    session: ClassSession, lesson: Lesson, action: PaceAction, exercise: str = ""
) -> None:
    """Change the class's pace; an action that changes nothing is not an error."""
    total = len(lesson.exercise_ids)
    if action is PaceAction.OPEN_NEXT and session.open_through is not None:
        session.open_through = (
            None if session.open_through + 1 >= total else session.open_through + 1
        )
    elif action is PaceAction.OPEN_ALL:
        session.open_through = None
    elif action in (PaceAction.PAUSE, PaceAction.RESUME):
        session.paused = action is PaceAction.PAUSE
    elif action in (PaceAction.REVEAL, PaceAction.HIDE) and exercise in lesson.exercise_ids:
        shown = [e for e in session.revealed if e != exercise]
        if action is PaceAction.REVEAL:
            shown.append(exercise)
        session.revealed = shown
    session.save(update_fields=["open_through", "paused", "revealed"])


def pace_summary(session: ClassSession, lesson: Lesson) -> str:
    """One sentence for everyone's screen: what is open, paused or closed.

    >>> from types import SimpleNamespace
    >>> lesson = SimpleNamespace(exercise_ids=("a", "b", "c"))
    >>> pace_summary(SimpleNamespace(open_through=2, paused=False, is_open=True), lesson)
    'Exercises 1 to 2 of 3 are open.'
    >>> pace_summary(SimpleNamespace(open_through=1, paused=True, is_open=True), lesson)
    'Paused by the teacher: answers wait until the class resumes. Exercise 1 of 3 is open.'
    """
    if not session.is_open:
        return gettext("The session is closed: no more answers are recorded.")
    total = len(lesson.exercise_ids)
    through = session.open_through
    if through is None or through >= total:
        text = gettext("All exercises are open.")
    elif through == 1:
        text = gettext("Exercise 1 of %(total)s is open.") % {"total": total}
    else:
        text = gettext("Exercises 1 to %(through)s of %(total)s are open.") % {
            "through": through,
            "total": total,
        }
    if session.paused:
        paused = gettext("Paused by the teacher: answers wait until the class resumes.")
        return f"{paused} {text}"
    return text

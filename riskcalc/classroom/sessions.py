"""Class sessions: start, join, submit, read the class's figures, export, close and purge.

Services take keyword arguments and raise :class:`ClassroomError` (with an HTTP status and a
message for the person on the other end); views translate it into a page. Tokens are shown to
their owner once and stored only as SHA-256 digests.

Authorisation is by token alone: the teacher's token opens the dashboard, the projector token
(derived from the teacher's, see :func:`projector_token`) opens the read-only class view, and a
student's token opens that student's own page and nothing else. A session is deleted with its answers when it
is opened after :data:`~riskcalc.models.classroom.RETENTION`, and by ``purge_classroom``.
"""

from __future__ import annotations

import base64
import csv
import datetime
import hashlib
import hmac
import io
import secrets
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from riskcalc.classroom.exercises import TEMPLATES, Exercise, Verdict, make_exercise
from riskcalc.classroom.lessons import Lesson, get_lesson
from riskcalc.classroom.nicknames import NicknameError, clean_nickname, nickname_key
from riskcalc.classroom.pacing import phase
from riskcalc.models.classroom import (
    JOIN_CODE_LENGTH,
    RETENTION,
    ClassSession,
    Student,
    Submission,
)

__all__ = [
    "JOIN_ALPHABET",
    "ClassroomError",
    "ExerciseStats",
    "SessionStats",
    "export_csv",
    "normalise_code",
    "projector_token",
    "purge_expired",
    "session_close",
    "session_for_code",
    "session_for_projector",
    "session_for_teacher",
    "session_join_subject",
    "session_reopen_joining",
    "session_start",
    "session_stats",
    "student_answers",
    "student_for_token",
    "student_join",
    "submission_record",
]

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Join-code letters: no 0/O or 1/I, which read alike on a projector."""

_RETENTION_DAYS = RETENTION.days

SHARED_SEED_MAX = 999_999
"""Class seeds fit the slides' ``?seed=`` parameter (at most six digits)."""


class ClassroomError(Exception):
    """A request the classroom refuses, with the status and the message to show."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def projector_token(teacher_token: str) -> str:
    """The projector's read-only token: an HMAC of a fixed label keyed by the teacher's token.

    The teacher's dashboard can always show it again (it holds the teacher's token), nothing
    more needs storing than its digest, and knowing it tells nothing about the teacher's token.
    """
    mac = hmac.new(teacher_token.encode(), b"riskcalc classroom projector", hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def _now() -> datetime.datetime:
    return timezone.now()


def _retrying[T](action: Callable[[], T], attempts: int = 6) -> T:
    """Run ``action`` in a transaction, retrying when SQLite reports the database locked.

    SQLite allows one writer; with ``timeout`` and ``BEGIN IMMEDIATE`` (settings) a writer
    waits for the lock, and this retry covers the rare wait that still times out.
    """
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return action()
        except OperationalError as error:
            if "locked" not in str(error) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def _expired(session: ClassSession, now: datetime.datetime) -> bool:
    return session.created_at + RETENTION <= now


def _expire(session: ClassSession) -> ClassroomError:
    session.delete()
    return ClassroomError(
        404,
        gettext(
            "This class session has expired: sessions and their answers are deleted %(days)s "
            "days after they start."
        )
        % {"days": _RETENTION_DAYS},
    )


def session_start(
    *, lesson: Lesson, one_at_a_time: bool = False, class_numbers: bool = False
) -> tuple[ClassSession, str]:
    """Start a session for ``lesson``; returns it with the teacher's secret token. With
    ``one_at_a_time`` only the first exercise is open until the teacher opens the next; with
    ``class_numbers`` every student and the slides share one seed."""
    shared_seed = secrets.randbelow(SHARED_SEED_MAX) + 1 if class_numbers else None
    for _ in range(20):
        token = secrets.token_urlsafe(32)
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        try:
            session = _retrying(
                lambda code=code, token=token: ClassSession.objects.create(  # type: ignore[misc]
                    lesson=lesson.slug,
                    code=code,
                    teacher_token_hash=digest(token),
                    projector_token_hash=digest(projector_token(token)),
                    created_at=_now(),
                    open_through=1 if one_at_a_time else None,
                    shared_seed=shared_seed,
                )
            )
        except IntegrityError:  # a code in use: draw another
            continue
        return session, token
    raise ClassroomError(503, gettext("Could not find a free join code; try again."))


def normalise_code(text: str) -> str:
    """``" abc-234 "`` -> ``"ABC234"``: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def session_for_code(code: str) -> ClassSession:
    """The open session with join ``code``; a clear error if unknown, expired or closed."""
    clean = normalise_code(code)
    if len(clean) != JOIN_CODE_LENGTH or any(ch not in JOIN_ALPHABET for ch in clean):
        raise ClassroomError(
            404,
            gettext(
                "“%(code)s” is not a join code. Codes have %(length)s letters and digits (no 0, "
                "O, 1 or I); copy it from the teacher's screen."
            )
            % {"code": code.strip()[:20], "length": JOIN_CODE_LENGTH},
        )
    session = ClassSession.objects.filter(code=clean).first()
    if session is None:
        raise ClassroomError(
            404,
            gettext(
                "No class session has the code %(code)s. Check it on the teacher's screen; "
                "sessions are deleted %(days)s days after they start."
            )
            % {"code": clean, "days": _RETENTION_DAYS},
        )
    if _expired(session, _now()):
        raise _expire(session)
    if not session.is_open:
        raise ClassroomError(
            403,
            gettext(
                "The class session %(code)s has been closed by the teacher: it takes no more "
                "students or answers."
            )
            % {"code": clean},
        )
    return session


def session_for_teacher(token: str) -> ClassSession:
    session = ClassSession.objects.filter(teacher_token_hash=digest(token)).first()
    if session is None:
        raise ClassroomError(
            404,
            gettext(
                "This teacher link does not open any class session. Check that the whole link "
                "was copied; sessions are deleted %(days)s days after they start."
            )
            % {"days": _RETENTION_DAYS},
        )
    if _expired(session, _now()):
        raise _expire(session)
    if session.projector_token_hash is None:  # started before projector links existed
        session.projector_token_hash = digest(projector_token(token))
        session.save(update_fields=["projector_token_hash"])
    return session


def session_for_projector(token: str) -> ClassSession:
    session = ClassSession.objects.filter(projector_token_hash=digest(token)).first()
    if session is None:
        raise ClassroomError(
            404,
            gettext(
                "This projector link does not open any class session. Open the projector view "
                "from the teacher's dashboard; sessions are deleted %(days)s days after they "
                "start."
            )
            % {"days": _RETENTION_DAYS},
        )
    if _expired(session, _now()):
        raise _expire(session)
    return session


def student_for_token(token: str) -> Student:
    student = Student.objects.select_related("session").filter(token_hash=digest(token)).first()
    if student is None:
        raise ClassroomError(
            404,
            gettext(
                "This student link does not open any class session. Join again with the code on "
                "the teacher's screen; sessions are deleted %(days)s days after they start."
            )
            % {"days": _RETENTION_DAYS},
        )
    if _expired(student.session, _now()):
        raise _expire(student.session)
    return student


def student_join(*, session: ClassSession, nickname: str) -> tuple[Student, str]:
    """Add a student; returns them with their secret token. Nicknames are unique per session,
    ignoring case and look-alike letters (:mod:`riskcalc.classroom.nicknames`)."""
    try:
        name = clean_nickname(nickname)
    except NicknameError as error:
        raise ClassroomError(400, str(error)) from None
    key = nickname_key(name)
    token = secrets.token_urlsafe(24)
    used = set(session.students.values_list("seed", flat=True))
    seed = secrets.randbelow(1_000_000)
    while seed in used:
        seed = secrets.randbelow(1_000_000)
    try:
        student = _retrying(
            lambda: Student.objects.create(
                session=session,
                nickname=name,
                nickname_key=key,
                seed=seed,
                token_hash=digest(token),
                joined_at=_now(),
            )
        )
    except IntegrityError:
        raise ClassroomError(
            409,
            gettext(
                "Someone in this class already uses the nickname “%(name)s”, or one that looks "
                "the same; choose another."
            )
            % {"name": name},
        ) from None
    return student, token


def _stored_value(verdict: Verdict) -> Decimal | None:
    if verdict.reading is None:
        return None
    value = verdict.reading.value.quantize(Decimal("1e-12"))
    return value if abs(value) < Decimal("1e27") else None


def submission_record(
    *, student: Student, exercise: str, answer_text: str, idempotency_key: str
) -> tuple[Submission, Verdict, bool]:
    """Judge and store one answer. Returns the row, the verdict and whether it was new: a
    repeated ``idempotency_key`` returns the first row and stores nothing."""
    session = student.session
    if not session.is_open:
        raise ClassroomError(
            403, gettext("The teacher has closed this session: answers are no longer recorded.")
        )
    lesson = get_lesson(session.lesson)
    if lesson is None or exercise not in lesson.exercise_ids:
        raise ClassroomError(404, gettext("This exercise is not part of the session's lesson."))
    now = phase(session, lesson, exercise)
    if now.locked:
        raise ClassroomError(403, gettext("Your teacher has not opened this exercise yet."))
    if now.paused:
        raise ClassroomError(
            403, gettext("Your teacher has paused the class: answer when they resume.")
        )
    key = idempotency_key.strip()[:64]
    if not key:
        raise ClassroomError(
            400, gettext("The form was incomplete; reload the page and answer again.")
        )
    text = answer_text.strip()[:64]
    built = make_exercise(exercise, seed=student.exercise_seed, lesson=lesson.slug)
    verdict = built.check(text)
    existing = Submission.objects.filter(student=student, idempotency_key=key).first()
    if existing is not None:
        return existing, built.check(existing.answer_text), False

    def create() -> Submission:
        return Submission.objects.create(
            session=session,
            student=student,
            exercise=exercise,
            answer_text=text,
            value=_stored_value(verdict),
            status=verdict.status,
            misconception=verdict.misconception.code if verdict.misconception else "",
            idempotency_key=key,
            created_at=_now(),
        )

    try:
        submission = _retrying(create)
    except IntegrityError:  # the same key submitted twice at once: the first one won
        first = Submission.objects.get(student=student, idempotency_key=key)
        return first, built.check(first.answer_text), False
    return submission, verdict, True


def student_answers(student: Student) -> dict[str, list[Submission]]:
    """This student's own submissions, by exercise, oldest first."""
    found: dict[str, list[Submission]] = {}
    for submission in student.submissions.all():
        found.setdefault(submission.exercise, []).append(submission)
    return found


def session_join_subject(session: ClassSession) -> str:
    """What the session's join allowance is counted against: the session in its join round."""
    return f"{session.pk}:{session.join_round}"


def session_reopen_joining(session: ClassSession) -> None:
    """Start the session's join allowance again (a flood of joins used it up); the addresses
    that flooded it keep their own, separate limit."""
    ClassSession.objects.filter(pk=session.pk).update(join_round=F("join_round") + 1)
    session.refresh_from_db(fields=["join_round"])


def session_close(session: ClassSession) -> None:
    if session.closed_at is None:
        session.closed_at = _now()
        session.save(update_fields=["closed_at"])


def purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete every session older than the retention period, with its students and answers.
    Returns the number of sessions deleted."""
    cutoff = (now or _now()) - RETENTION
    expired = ClassSession.objects.filter(created_at__lte=cutoff)
    count = expired.count()
    expired.delete()
    return count


# --- the teacher's figures -------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ExerciseStats:
    exercise: str
    number: int
    title: str
    answered: int
    right_first_time: int
    right_now: int
    submissions: int
    misconceptions: tuple[tuple[str, int], ...]
    other_wrong: int
    unreadable: int
    stuck: tuple[StuckStudent, ...] = ()
    distribution: tuple[tuple[str, int], ...] = ()

    @property
    def largest_share(self) -> int:
        return max((count for _, count in self.distribution), default=0)

    @property
    def right_now_percent(self) -> int | None:
        return round(100 * self.right_now / self.answered) if self.answered else None

    @property
    def first_time_percent(self) -> int | None:
        return round(100 * self.right_first_time / self.answered) if self.answered else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StuckStudent:
    """A student with answers to an exercise but none right yet, and their latest mistake."""

    nickname: str
    tries: int
    mistake: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StudentCell:
    """One student's work on one exercise: what they typed, in order, and how it went."""

    answers: tuple[str, ...]
    right: bool
    mistake: str

    @property
    def tries(self) -> int:
        return len(self.answers)


@dataclass(frozen=True, slots=True, kw_only=True)
class StudentRow:
    nickname: str
    cells: tuple[StudentCell, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionStats:
    students: int
    submissions: int
    exercises: tuple[ExerciseStats, ...]
    rows: tuple[StudentRow, ...]

    @property
    def needs_help(self) -> tuple[ExerciseStats, ...]:
        """Exercises where someone is stuck, the most stuck first (lesson order on ties)."""
        stuck = [e for e in self.exercises if e.stuck]
        return tuple(sorted(stuck, key=lambda e: -len(e.stuck)))


class _BuiltExercises:
    """Each student's exercises, built once per request: the numbers they saw, their correct
    answers and the names of the mistakes their answers matched."""

    def __init__(self, lesson: Lesson) -> None:
        self.lesson = lesson
        self._built: dict[tuple[int, str], Exercise] = {}

    def get(self, seed: int, exercise: str) -> Exercise:
        key = (seed, exercise)
        if key not in self._built:
            self._built[key] = make_exercise(exercise, seed=seed, lesson=self.lesson.slug)
        return self._built[key]

    def mistake_name(self, submission: Submission, seed: int) -> str:
        """The mistake's name as the student read it: the answer re-checked against that
        student's own exercise (names differ between exercises that share a code)."""
        if not submission.misconception:
            return ""
        verdict = self.get(seed, submission.exercise).check(submission.answer_text)
        found = verdict.misconception
        return found.name if found is not None else submission.misconception


def _latest_mistake(subs: list[Submission], seed: int, built: _BuiltExercises) -> str:
    named = [sub for sub in subs if sub.misconception]
    return built.mistake_name(named[-1], seed) if named else ""


def _distribution(
    latest: list[Submission], seeds: dict[int, int], built: _BuiltExercises
) -> tuple[tuple[str, int], ...]:
    """Each student's latest answer, grouped: correct first, then the wrong answers by kind
    (named mistake, other, unreadable), the most common first, ties by name."""
    counts: Counter[str] = Counter()
    right = pgettext("an answer", "Correct")
    for sub in latest:
        if sub.correct:
            counts[right] += 1
        elif sub.misconception:
            counts[built.mistake_name(sub, seeds[sub.student_id])] += 1
        elif sub.status == "unreadable":
            counts[gettext("Could not be read")] += 1
        else:
            counts[gettext("Other wrong answer")] += 1
    correct = [(right, counts.pop(right))] if right in counts else []
    wrong = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return tuple(correct + wrong)


def session_stats(session: ClassSession, lesson: Lesson) -> SessionStats:
    """Per-exercise figures for the dashboard and the projector, and a row per student.

    *Answered*: students with at least one answer. *Right first time*: their first answer was
    correct. *Right now*: at least one correct answer. *Stuck*: answered, none right yet. Wrong
    answers are grouped by the misconception they matched (students have different numbers,
    so raw values do not compare); the rest are "other" or "could not be read". The
    distribution counts each student's latest answer once.
    """
    students = list(session.students.all())
    submissions = list(session.submissions.all())
    built = _BuiltExercises(lesson)
    seeds = {student.id: student.exercise_seed for student in students}
    names = {student.id: student.nickname for student in students}
    by_pair: dict[tuple[int, str], list[Submission]] = {}
    for submission in submissions:
        by_pair.setdefault((submission.student_id, submission.exercise), []).append(submission)
    exercises = []
    for number, exercise in enumerate(lesson.exercise_ids, start=1):
        mine = [s for s in submissions if s.exercise == exercise]
        answered = {sid: subs for (sid, ex), subs in by_pair.items() if ex == exercise}
        firsts = [subs[0] for subs in answered.values()]
        stuck = tuple(
            StuckStudent(
                nickname=names[sid],
                tries=len(subs),
                mistake=_latest_mistake(subs, seeds[sid], built),
            )
            for sid, subs in answered.items()
            if not any(sub.correct for sub in subs)
        )
        misconceptions = Counter(
            built.mistake_name(s, seeds[s.student_id]) for s in mine if s.misconception
        )
        exercises.append(
            ExerciseStats(
                exercise=exercise,
                number=number,
                title=TEMPLATES[exercise].title,
                answered=len(firsts),
                right_first_time=sum(1 for s in firsts if s.correct),
                right_now=sum(
                    1
                    for (sid, ex), subs in by_pair.items()
                    if ex == exercise and any(s.correct for s in subs)
                ),
                submissions=len(mine),
                misconceptions=tuple(misconceptions.most_common()),
                other_wrong=sum(1 for s in mine if s.status == "wrong" and not s.misconception),
                unreadable=sum(1 for s in mine if s.status == "unreadable"),
                stuck=stuck,
                distribution=_distribution([subs[-1] for subs in answered.values()], seeds, built),
            )
        )
    rows = []
    for student in students:
        cells = []
        for exercise in lesson.exercise_ids:
            subs = by_pair.get((student.id, exercise), [])
            cells.append(
                StudentCell(
                    answers=tuple(sub.answer_text for sub in subs),
                    right=any(sub.correct for sub in subs),
                    mistake=_latest_mistake(subs, seeds[student.id], built),
                )
            )
        rows.append(StudentRow(nickname=student.nickname, cells=tuple(cells)))
    return SessionStats(
        students=len(students),
        submissions=len(submissions),
        exercises=tuple(exercises),
        rows=tuple(rows),
    )


CSV_HEADER = (
    "submitted_at",
    "nickname",
    "exercise_number",
    "exercise_title",
    "exercise",
    "answer_typed",
    "read_as",
    "status",
    "mistake",
    "misconception",
    "correct_answer",
)
"""Words first, as the students saw them (exercise title, mistake name); the codes beside them
(``exercise``, ``misconception``) stay for programs that read the file."""


def _cell(text: str) -> str:
    """Keep spreadsheet programs from running a typed answer or nickname as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(session: ClassSession, lesson: Lesson) -> str:
    """Every submission as CSV, oldest first, with the student's own correct answer; see
    :data:`CSV_HEADER` for the columns."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    exercises = _BuiltExercises(lesson)
    for s in session.submissions.select_related("student__session").order_by("created_at", "id"):
        seed = s.student.exercise_seed
        built = exercises.get(seed, s.exercise)
        writer.writerow(
            (
                s.created_at.isoformat(timespec="seconds"),
                _cell(s.student.nickname),
                lesson.exercise_ids.index(s.exercise) + 1,
                built.title,
                s.exercise,
                _cell(s.answer_text),
                "" if s.value is None else f"{s.value.normalize():f}",
                s.status,
                exercises.mistake_name(s, seed),
                s.misconception,
                f"{built.answer.quantize(Decimal(1).scaleb(-built.places)):f}",
            )
        )
    return out.getvalue()

"""Classroom pages: lessons, self-checked exercises, worksheets, projector mode, class sessions.

The logic is in :mod:`riskcalc.classroom` (exercises, lessons, sessions, rate limits); these
views read the request, call it and render. Exercise forms work as plain POST forms and, with
htmx, swap only the exercise (``classroom/_exercise.html``). Pages reached with a secret token
(teacher dashboard, student page) are never cached and send no referrer to other sites.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext, ngettext, override
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riskcalc.classroom import ratelimit
from riskcalc.classroom.answers import format_value
from riskcalc.classroom.exercises import TEMPLATES, Exercise, Verdict, make_exercise
from riskcalc.classroom.join_qr import join_qr_svg
from riskcalc.classroom.lessons import (
    CalculatorStep,
    ExerciseStep,
    Lesson,
    get_lesson,
    load_lessons,
)
from riskcalc.classroom.pacing import (
    PaceAction,
    Phase,
    pace_apply,
    pace_code,
    pace_summary,
    phase,
    phases,
)
from riskcalc.classroom.sessions import (
    ClassroomError,
    export_csv,
    normalise_code,
    projector_token,
    session_close,
    session_for_code,
    session_for_projector,
    session_for_teacher,
    session_join_subject,
    session_reopen_joining,
    session_start,
    session_stats,
    student_answers,
    student_for_token,
    student_join,
    submission_record,
)
from riskcalc.client_address import client_address
from riskcalc.content import load_pages
from riskcalc.languages import localized_path
from riskcalc.models.classroom import NICKNAME_MAX_LENGTH, RETENTION, ClassSession, Student
from riskcalc.params import whole_number

SEED_MAX = 999_999
WORKSHEET_VARIANTS = 2


def route_exists(path: str) -> bool:
    """Whether an English path (lessons link to ``/learn/x/``) is a route of the site."""
    try:
        with override(settings.LANGUAGE_CODE):
            resolve(path.split("?", 1)[0])
    except Resolver404:
        return False
    return True


def _lesson_or_404(slug: str) -> Lesson:
    lesson = get_lesson(slug, language=get_language())
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def _seed(request: HttpRequest) -> int | None:
    return whole_number(request.GET.get("seed"), maximum=SEED_MAX)


def _with_new_seed(request: HttpRequest) -> HttpResponseRedirect:
    query = request.GET.copy()
    query["seed"] = str(secrets.randbelow(SEED_MAX) + 1)
    return redirect(f"{request.path}?{query.urlencode()}")


def _private(response: HttpResponse) -> HttpResponse:
    """For pages whose URL is a secret: no caching, no referrer to other sites, no indexing."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def _error(request: HttpRequest, error: ClassroomError, **context: Any) -> HttpResponse:
    template = "classroom/_error.html" if request.htmx else "classroom/error.html"
    return render(request, template, {"message": error.message, **context}, status=error.status)


def classroom_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a :class:`ClassroomError` into a page with its status and message."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ClassroomError as error:
            return _private(_error(request, error))

    return wrapper


# --- what an exercise block shows --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Feedback:
    verdict: Verdict | None
    attempts: int
    revealed: bool

    @property
    def show_hint(self) -> bool:
        return self.verdict is not None and not self.verdict.correct and not self.show_solution

    @property
    def show_solution(self) -> bool:
        if self.revealed:
            return True
        if self.verdict is None:
            return False
        return self.verdict.correct or self.attempts >= 2


@dataclass(frozen=True, slots=True)
class ExerciseBlock:
    number: int
    exercise: Exercise
    feedback: Feedback | None
    calculator_path: str | None
    idempotency_key: str
    phase: Phase | None = None

    @property
    def anchor(self) -> str:
        return f"exercise-{self.exercise.template}"


def _calculator_path(exercise: Exercise) -> str | None:
    from urllib.parse import urlencode

    from riskcalc.content import CALCULATOR_PATHS

    link = exercise.calculator
    if link is None:
        return None
    path = f"{CALCULATOR_PATHS[link.calculator]}?{urlencode(dict(link.params))}"
    return localized_path(path) if route_exists(path) else None


def _block(
    lesson: Lesson,
    exercise: Exercise,
    feedback: Feedback | None = None,
    phase: Phase | None = None,
) -> ExerciseBlock:
    return ExerciseBlock(
        number=lesson.exercise_ids.index(exercise.template) + 1,
        exercise=exercise,
        feedback=feedback,
        calculator_path=_calculator_path(exercise),
        idempotency_key=secrets.token_urlsafe(16),
        phase=phase,
    )


def _steps(lesson: Lesson, blocks: dict[str, ExerciseBlock]) -> list[dict[str, Any]]:
    steps = []
    for step in lesson.steps:
        item: dict[str, Any] = {"step": step, "kind": step.kind}
        if isinstance(step, CalculatorStep):
            item["available"] = route_exists(step.path)
        if isinstance(step, ExerciseStep):
            item["block"] = blocks[step.exercise]
        steps.append(item)
    return steps


def _learn_links(lesson: Lesson) -> list[tuple[str, str]]:
    """The lesson's related learn pages that exist: their URL and title in its language."""
    pages = {page.slug: page for page in load_pages(language=get_language())}
    links = []
    for slug in lesson.learn:
        path = f"/learn/{slug}/"
        if route_exists(path) and slug in pages:
            links.append((localized_path(path), pages[slug].title))
    return links


def _lesson_context(lesson: Lesson, blocks: dict[str, ExerciseBlock]) -> dict[str, Any]:
    return {
        "lesson": lesson,
        "steps": _steps(lesson, blocks),
        "learn_links": _learn_links(lesson),
        "retention_days": RETENTION.days,
    }


# --- lessons -----------------------------------------------------------------------------------


@require_safe
def classroom(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "classroom/index.html",
        {
            "lessons": load_lessons(language=get_language()),
            "retention_days": RETENTION.days,
            "nickname_max": NICKNAME_MAX_LENGTH,
        },
    )


@require_safe
def classroom_lesson(request: HttpRequest, lesson: str) -> HttpResponse:
    found = _lesson_or_404(lesson)
    seed = _seed(request)
    if seed is None:
        return _with_new_seed(request)
    blocks = {e.template: _block(found, e) for e in found.exercises(seed)}
    context = _lesson_context(found, blocks)
    context.update(seed=seed, check_url=reverse("classroom_check", args=[found.slug]))
    return render(request, "classroom/lesson.html", context)


@require_POST
def classroom_check(request: HttpRequest, lesson: str) -> HttpResponse:
    """Check one self-study answer (nothing is stored). With htmx only the exercise comes back;
    without JavaScript the whole lesson, with this exercise's feedback."""
    found = _lesson_or_404(lesson)
    exercise_id = request.POST.get("exercise", "")
    seed = whole_number(request.POST.get("seed"), maximum=SEED_MAX)
    if exercise_id not in found.exercise_ids or seed is None:
        return HttpResponse(gettext("This form is out of date; reload the lesson."), status=400)
    attempts = min(whole_number(request.POST.get("attempt"), maximum=SEED_MAX) or 0, 99) + 1
    revealed = "reveal" in request.POST
    exercise = make_exercise(exercise_id, seed=seed, lesson=found.slug)
    verdict = None if revealed else exercise.check(request.POST.get("answer", ""))
    block = _block(found, exercise, Feedback(verdict, attempts, revealed))
    check_url = reverse("classroom_check", args=[found.slug])
    if request.htmx:
        return render(
            request,
            "classroom/_exercise.html",
            {"block": block, "seed": seed, "check_url": check_url},
        )
    blocks = {e.template: _block(found, e) for e in found.exercises(seed)}
    blocks[exercise_id] = block
    context = _lesson_context(found, blocks)
    context.update(seed=seed, check_url=check_url)
    return render(request, "classroom/lesson.html", context)


@require_safe
def classroom_worksheet(request: HttpRequest, lesson: str) -> HttpResponse:
    return _worksheet(request, lesson, answers=False)


@require_safe
def classroom_worksheet_answers(request: HttpRequest, lesson: str) -> HttpResponse:
    return _worksheet(request, lesson, answers=True)


def _worksheet(request: HttpRequest, slug: str, *, answers: bool) -> HttpResponse:
    found = _lesson_or_404(slug)
    seed = _seed(request)
    if seed is None:
        return _with_new_seed(request)
    items = []
    for number, exercise_id in enumerate(found.exercise_ids, start=1):
        for variant in range(WORKSHEET_VARIANTS):
            exercise = make_exercise(exercise_id, seed=seed, lesson=found.slug, variant=variant)
            mistakes = [
                (format_value(m.value, exercise.unit, exercise.places), m.name)
                for m in exercise.misconceptions
            ]
            items.append(
                {"label": f"{number}{'ab'[variant]}", "exercise": exercise, "mistakes": mistakes}
            )
    return render(
        request,
        "classroom/answer_key.html" if answers else "classroom/worksheet.html",
        {"lesson": found, "seed": seed, "items": items},
    )


@require_safe
def classroom_present(request: HttpRequest, lesson: str) -> HttpResponse:
    """Projector mode: one step per page, large type; links (and arrow keys) to move."""
    found = _lesson_or_404(lesson)
    seed = _seed(request)
    if seed is None:
        return _with_new_seed(request)
    total = len(found.steps)
    number = whole_number(request.GET.get("step", "1"), maximum=total)
    if number is None or number < 1:
        raise Http404("No such step.")
    step = found.steps[number - 1]
    base = reverse("classroom_present", args=[found.slug])

    def link(n: int, **extra: str) -> str:
        query = "&".join([f"seed={seed}", f"step={n}", *(f"{k}={v}" for k, v in extra.items())])
        return f"{base}?{query}"

    context: dict[str, Any] = {
        "lesson": found,
        "seed": seed,
        "step": step,
        "number": number,
        "total": total,
        "prev_url": link(number - 1) if number > 1 else None,
        "next_url": link(number + 1) if number < total else None,
        "first_url": link(1),
        "last_url": link(total),
        "show_answer": request.GET.get("answer") == "1",
    }
    if isinstance(step, ExerciseStep):
        context["exercise"] = make_exercise(step.exercise, seed=seed, lesson=found.slug)
        context["answer_url"] = link(number, answer="1")
        context["question_url"] = link(number)
    if isinstance(step, CalculatorStep):
        context["available"] = route_exists(step.path)
    return render(request, "classroom/present.html", context)


# --- class sessions: teacher -------------------------------------------------------------------


@require_POST
@classroom_errors
def classroom_session_start(request: HttpRequest, lesson: str) -> HttpResponse:
    found = _lesson_or_404(lesson)
    if not ratelimit.allow("start_ip", client_address(request)):
        raise ClassroomError(
            429, gettext("Too many sessions started from this network; wait a few minutes.")
        )
    session, token = session_start(
        lesson=found,
        one_at_a_time=request.POST.get("pacing") == "one_at_a_time",
        class_numbers=request.POST.get("numbers") == "class",
    )
    response = redirect("classroom_teacher", token=token)
    _remember_session(request, response, token)
    return response


# --- a way back to a lost dashboard: this browser's own sessions --------------------------------

STARTED_COOKIE = "riskcalc_classroom_started"
STARTED_SALT = "riskcalc.classroom.started"
STARTED_KEPT = 12


def _started_tokens(request: HttpRequest) -> list[str]:
    """Teacher tokens of the sessions this browser started, newest first (signed cookie)."""
    raw = request.get_signed_cookie(
        STARTED_COOKIE, default="", salt=STARTED_SALT, max_age=RETENTION.total_seconds()
    )
    return [token for token in raw.split(",") if token][:STARTED_KEPT]


def _remember_session(request: HttpRequest, response: HttpResponse, token: str) -> None:
    """Keep the new session's teacher token in a signed, HTTP-only cookie on the browser that
    started it, for :func:`classroom_started`. It never leaves that browser: no page shows it
    to anyone else, and it lives only as long as sessions do."""
    tokens = [token, *(t for t in _started_tokens(request) if t != token)][:STARTED_KEPT]
    response.set_signed_cookie(
        STARTED_COOKIE,
        ",".join(tokens),
        salt=STARTED_SALT,
        max_age=int(RETENTION.total_seconds()),
        path="/",  # sent to /classroom/started/ in every language (/es/classroom/started/ ...)
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


@require_safe
def classroom_started(request: HttpRequest) -> HttpResponse:
    """The sessions this browser started that still exist, with their dashboard links."""
    found = []
    for token in _started_tokens(request):
        try:
            session, lesson = _teacher(token)
        except ClassroomError:  # expired, deleted or its lesson gone: nothing to go back to
            continue
        found.append({"session": session, "lesson": lesson, "token": token})
    return _private(
        render(
            request,
            "classroom/started.html",
            {"started": found, "retention_days": RETENTION.days},
        )
    )


def _lesson_of(session: ClassSession) -> Lesson:
    lesson = get_lesson(session.lesson, language=get_language())
    if lesson is None:
        raise ClassroomError(404, gettext("This session's lesson no longer exists."))
    return lesson


def _teacher(token: str) -> tuple[ClassSession, Lesson]:
    session = session_for_teacher(token)
    return session, _lesson_of(session)


def _figures(session: ClassSession, lesson: Lesson) -> dict[str, Any]:
    """What the dashboard and the projector show and refresh: the class's figures, the pace
    and, with class numbers, the exercise now open (its worked solution once revealed)."""
    figures: dict[str, Any] = {
        "stats": session_stats(session, lesson),
        "pace": pace_summary(session, lesson),
        "current": None,
    }
    if session.shared_seed is not None:
        through = session.open_through or len(lesson.exercise_ids)
        exercise = lesson.exercise_ids[min(through, len(lesson.exercise_ids)) - 1]
        figures["current"] = make_exercise(exercise, seed=session.shared_seed, lesson=lesson.slug)
        figures["current_number"] = lesson.exercise_ids.index(exercise) + 1
        figures["current_revealed"] = exercise in session.revealed
        figures["slides_url"] = (
            f"{reverse('classroom_present', args=[lesson.slug])}?seed={session.shared_seed}"
        )
    return figures


def _join_url(request: HttpRequest, session: ClassSession) -> str:
    return request.build_absolute_uri(f"{reverse('classroom_join')}?code={session.code}")


def _allowance(scope: str) -> str:
    """``"150 joins in 10 minutes"``-style wording of a rate limit, for a teacher."""
    count, seconds = ratelimit.limit_for(scope)
    minutes = seconds // 60
    return ngettext(
        "%(count)s in %(minutes)s minute", "%(count)s in %(minutes)s minutes", minutes
    ) % {"count": count, "minutes": minutes}


@require_safe
@classroom_errors
def classroom_teacher(request: HttpRequest, token: str) -> HttpResponse:
    session, lesson = _teacher(token)
    return _private(
        render(
            request,
            "classroom/teacher.html",
            {
                "session": session,
                "lesson": lesson,
                "token": token,
                **_figures(session, lesson),
                "phases": phases(session, lesson),
                "next_title": _next_title(session, lesson),
                "stats_url": reverse("classroom_teacher_stats", args=[token]),
                "projector_url": reverse("classroom_projector", args=[projector_token(token)]),
                "join_url": _join_url(request, session),
                "retention_days": RETENTION.days,
                "joining_paused": session.is_open
                and ratelimit.used_up("join_session", session_join_subject(session)),
                "join_allowance": _allowance("join_session"),
            },
        )
    )


def _stats(
    request: HttpRequest, session: ClassSession, *, anonymised: bool, poll_url: str
) -> HttpResponse:
    lesson = _lesson_of(session)
    return _private(
        render(
            request,
            "classroom/_stats.html",
            {
                "session": session,
                **_figures(session, lesson),
                "anonymised": anonymised,
                "poll_url": poll_url,
            },
        )
    )


@require_safe
@classroom_errors
def classroom_teacher_stats(request: HttpRequest, token: str) -> HttpResponse:
    session = session_for_teacher(token)
    return _stats(request, session, anonymised=False, poll_url=request.path)


@require_safe
@classroom_errors
def classroom_projector_stats(request: HttpRequest, token: str) -> HttpResponse:
    session = session_for_projector(token)
    return _stats(request, session, anonymised=True, poll_url=request.path)


@require_safe
@classroom_errors
def classroom_projector(request: HttpRequest, token: str) -> HttpResponse:
    """What the class may see, at an address of its own: the join code and a QR code of the
    join link, and the class's figures without nicknames. Nothing here leads to the dashboard."""
    session = session_for_projector(token)
    lesson = _lesson_of(session)
    join_url = _join_url(request, session)
    return _private(
        render(
            request,
            "classroom/projector.html",
            {
                "session": session,
                "lesson": lesson,
                **_figures(session, lesson),
                "anonymised": True,
                "poll_url": reverse("classroom_projector_stats", args=[token]),
                "join_url": join_url,
                "join_qr": join_qr_svg(join_url, code=session.code),
            },
        )
    )


def _next_title(session: ClassSession, lesson: Lesson) -> str:
    through = session.open_through
    if through is None or through >= len(lesson.exercise_ids):
        return ""
    return TEMPLATES[lesson.exercise_ids[through]].title


@require_POST
@classroom_errors
def classroom_teacher_pace(request: HttpRequest, token: str) -> HttpResponse:
    """Open the next exercise or all of them, pause or resume, reveal or hide a solution."""
    session, lesson = _teacher(token)
    try:
        action = PaceAction(request.POST.get("action", ""))
    except ValueError:
        raise ClassroomError(
            400, gettext("That pacing button is out of date; reload the dashboard.")
        ) from None
    pace_apply(session, lesson, action, request.POST.get("exercise", ""))
    return redirect(f"{reverse('classroom_teacher', args=[token])}#pacing")


@require_safe
@classroom_errors
def classroom_teacher_export(request: HttpRequest, token: str) -> HttpResponse:
    session, lesson = _teacher(token)
    response = HttpResponse(export_csv(session, lesson), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="riskcalc-{lesson.slug}-{session.code}.csv"'
    )
    return _private(response)


@require_POST
@classroom_errors
def classroom_teacher_reopen_joining(request: HttpRequest, token: str) -> HttpResponse:
    session, _ = _teacher(token)
    session_reopen_joining(session)
    return redirect("classroom_teacher", token=token)


@require_POST
@classroom_errors
def classroom_teacher_close(request: HttpRequest, token: str) -> HttpResponse:
    session, _ = _teacher(token)
    session_close(session)
    return redirect("classroom_teacher", token=token)


# --- class sessions: students ------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def classroom_join(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("code", request.GET.get("code", ""))[:20]
    nickname = request.POST.get("nickname", "")[:100]
    context = {
        "code": normalise_code(code) if code else "",
        "nickname": nickname,
        "nickname_max": NICKNAME_MAX_LENGTH,
        "retention_days": RETENTION.days,
    }
    if request.method != "POST":
        return render(request, "classroom/join.html", context)
    try:
        if not ratelimit.allow("join_ip", client_address(request)):
            raise ClassroomError(
                429,
                gettext(
                    "Too many joins from this network in the last few minutes; wait and try again."
                ),
            )
        session = session_for_code(code)
        if not ratelimit.allow("join_session_ip", f"{session.pk}|{client_address(request)}"):
            raise ClassroomError(
                429,
                gettext("Too many joins into this session from your network; wait a few minutes."),
            )
        if not ratelimit.allow("join_session", session_join_subject(session)):
            raise ClassroomError(
                429,
                gettext(
                    "Too many students have joined this session in the last few minutes; ask "
                    "your teacher to reopen joining, or try again in a few minutes."
                ),
            )
        student, token = student_join(session=session, nickname=nickname)
    except ClassroomError as error:
        return render(
            request, "classroom/join.html", {**context, "error": error.message}, status=error.status
        )
    return redirect("classroom_student", token=token)


@require_safe
@classroom_errors
def classroom_student(request: HttpRequest, token: str) -> HttpResponse:
    student = student_for_token(token)
    return _private(_student_page(request, student, token))


def _student_blocks(student: Student, lesson: Lesson) -> dict[str, ExerciseBlock]:
    """Each exercise as this student sees it now: their last answer's feedback, and what the
    teacher's pacing allows (locked, paused, worked solution revealed)."""
    history = student_answers(student)
    blocks = {}
    for exercise in lesson.exercises(student.exercise_seed):
        now = phase(student.session, lesson, exercise.template)
        tries = history.get(exercise.template, [])
        verdict = exercise.check(tries[-1].answer_text) if tries else None
        feedback = Feedback(verdict, len(tries), now.revealed) if tries or now.revealed else None
        blocks[exercise.template] = _block(lesson, exercise, feedback, now)
    return blocks


def _student_context(student: Student, lesson: Lesson, token: str) -> dict[str, Any]:
    return {
        "student": student,
        "session": student.session,
        "seed": student.exercise_seed,
        "check_url": reverse("classroom_student_answer", args=[token]),
        "pace": pace_summary(student.session, lesson),
        "pace_url": reverse("classroom_student_pace", args=[token]),
        "pace_code": pace_code(student.session, lesson),
    }


def _student_page(
    request: HttpRequest, student: Student, token: str, status: int = 200
) -> HttpResponse:
    lesson = _lesson_of(student.session)
    context = _lesson_context(lesson, _student_blocks(student, lesson))
    context.update(
        _student_context(student, lesson, token),
        student_url=request.build_absolute_uri(reverse("classroom_student", args=[token])),
    )
    return render(request, "classroom/lesson.html", context, status=status)


@require_safe
@classroom_errors
def classroom_student_pace(request: HttpRequest, token: str) -> HttpResponse:
    """Polled every few seconds by a student's page (``?seen=`` the pace it shows): 204 when
    nothing changed, else the new pace line and, swapped out of band, only the exercises
    whose state changed, so an answer being typed elsewhere on the page survives."""
    student = student_for_token(token)
    lesson = _lesson_of(student.session)
    code = pace_code(student.session, lesson)
    seen = request.GET.get("seen", "")[:64]
    if seen == code:
        return _private(HttpResponse(status=204))
    closed_changed = seen.endswith("c") != code.endswith("c")
    blocks = _student_blocks(student, lesson)
    changed = [
        blocks[exercise]
        for i, exercise in enumerate(lesson.exercise_ids)
        if closed_changed or seen[i : i + 1] != code[i]
    ]
    context = _student_context(student, lesson, token)
    context["changed"] = changed
    return _private(render(request, "classroom/_pace.html", context))


@require_POST
@classroom_errors
def classroom_student_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Record one answer. With htmx the exercise comes back with its feedback; a refused answer
    (session closed, too many answers) comes back as the exercise with the reason in its
    feedback, as an error status that names its own target (``HX-Retarget``, ``HX-Reswap``)
    so ``classroom.js`` swaps it in place. Without JavaScript: back to the student's page, or a
    styled error page with a link back to it."""
    student = student_for_token(token)
    exercise_id = request.POST.get("exercise", "")
    try:
        verdict = _record_answer(request, student, exercise_id)
    except ClassroomError as error:
        if request.htmx and exercise_id in _lesson_of(student.session).exercise_ids:
            response = _exercise_fragment(request, student, token, exercise_id, error=error)
            response["HX-Retarget"] = f"#exercise-{exercise_id}"
            response["HX-Reswap"] = "outerHTML"
            return _private(response)
        back_url = reverse("classroom_student", args=[token])
        return _private(_error(request, error, back_url=back_url))
    if not request.htmx:
        url = reverse("classroom_student", args=[token])
        return redirect(f"{url}#exercise-{exercise_id}")
    return _private(_exercise_fragment(request, student, token, exercise_id, verdict=verdict))


def _record_answer(request: HttpRequest, student: Student, exercise_id: str) -> Verdict:
    allowed = (
        ratelimit.allow("answer_ip", client_address(request))
        and ratelimit.allow("answer_session", str(student.session.pk))
        and ratelimit.allow("answer_student", str(student.pk))
    )
    if not allowed:
        raise ClassroomError(
            429,
            gettext(
                "Too many answers in the last minute; wait a moment, then check your answer again."
            ),
        )
    _, verdict, _ = submission_record(
        student=student,
        exercise=exercise_id,
        answer_text=request.POST.get("answer", ""),
        idempotency_key=request.POST.get("idempotency_key", ""),
    )
    return verdict


def _exercise_fragment(
    request: HttpRequest,
    student: Student,
    token: str,
    exercise_id: str,
    *,
    verdict: Verdict | None = None,
    error: ClassroomError | None = None,
) -> HttpResponse:
    """One exercise of a student's page, with the verdict on their answer or the reason it
    was refused (and that refusal's status)."""
    session = student.session
    lesson = _lesson_of(session)
    exercise = make_exercise(exercise_id, seed=student.exercise_seed, lesson=lesson.slug)
    now = phase(session, lesson, exercise_id)
    feedback = None
    if verdict is not None:
        attempts = student.submissions.filter(exercise=exercise_id).count()
        feedback = Feedback(verdict, attempts, now.revealed)
    return render(
        request,
        "classroom/_exercise.html",
        {
            "block": _block(lesson, exercise, feedback, now),
            "seed": student.exercise_seed,
            "student": student,
            "session": session,
            "check_url": reverse("classroom_student_answer", args=[token]),
            "error": error.message if error else "",
        },
        status=error.status if error else 200,
    )
